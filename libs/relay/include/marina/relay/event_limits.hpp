#pragma once
// The bounds an event can break, each with the OK message a client gets.
// relay-query checks them before handing an EVENT on (an answer without a
// round trip); relay-ingest checks them again as policy, and is the
// authority. Both use these, so a client reads the same words from either.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "marina/relay/settings.hpp"

namespace marina::relay {

// "invalid: created_at is more than N seconds in the past" / "... in the
// future", measured from `now` (unix seconds). `check_lower_bound` false
// skips the past bound (an owner's import of an archive).
std::optional<std::string> created_at_refusal(std::int64_t created_at, std::int64_t now, const RelayLimits& limits,
                                              bool check_lower_bound = true);

// "invalid: too many tags (n, at most m)". `max` is the relay's bound
// (event_policy.hpp takes the lower of its configuration and RelayLimits).
std::optional<std::string> tag_count_refusal(std::size_t tags, std::size_t max);

// "invalid: content too long (n bytes, at most m)".
std::optional<std::string> content_length_refusal(std::size_t bytes, std::size_t max);

}  // namespace marina::relay
