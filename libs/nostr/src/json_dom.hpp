#pragma once
// The simdjson DOM parser behind every strict parser in this library, and
// the element-level entry points that let the client message parser reuse
// one parse of a whole message.
//
// Why DOM and not On-Demand: the DOM parser validates the entire document
// (structure, numbers, string escapes, UTF-8, raw control characters) and
// selects the widest SIMD kernel at run time; On-Demand only validates what
// is visited and picks its kernel at compile time (the portable fallback
// for a generic x86-64 build).
#include <simdjson.h>

#include <string>
#include <string_view>

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/filter.hpp"

namespace marina::nostr::detail {

// Parses `json` with this thread's parser. The element stays valid until
// the next call on the same thread.
simdjson::error_code parse_dom(std::string_view json, simdjson::dom::element& out);

// "malformed JSON: <reason>" for a simdjson error.
std::string malformed_json_message(simdjson::error_code error);

enum class EventShape { signed_event, rumor };

// `raw` is the text of `element` (kept as Event::raw).
Result<Event, ParseError> parse_event_element(simdjson::dom::element element, std::string_view raw,
                                              EventShape shape, const EventParseOptions& options);

Result<Filter, ParseError> parse_filter_element(simdjson::dom::element element, const FilterLimits& limits);

// Reads an integer in [0, max]. JSON numbers written with a fraction or an
// exponent (1.0, 1e3) are not integers, even when their value is whole.
enum class IntRead { ok, not_integer, out_of_range };
IntRead read_bounded_int(simdjson::dom::element value, std::int64_t max, std::int64_t& out) noexcept;

// A field name from client input, quoted and cut to 64 bytes for messages.
std::string quoted_field(std::string_view key);

// Trims JSON whitespace from both ends.
std::string_view trim_json_whitespace(std::string_view s) noexcept;

}  // namespace marina::nostr::detail
