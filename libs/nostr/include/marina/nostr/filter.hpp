#pragma once
// Subscription filters (NIP-01, plus `search` from NIP-50).
//
// A parsed Filter keeps every list sorted and without duplicates, so
// matching is a binary search per field, and so the relay can read each
// field directly to index live subscriptions or to build SQL.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"
#include "marina/nostr/parse_error.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr {

// Bounds a relay puts on one filter. Every list longer than its bound and
// every string longer than its bound is rejected with a message naming it.
struct FilterLimits {
  std::size_t max_ids = 500;
  std::size_t max_authors = 500;
  std::size_t max_kinds = 100;
  std::size_t max_tag_filters = 10;       // distinct #<letter> keys in one filter
  std::size_t max_tag_values = 500;       // values in one #<letter> list
  std::size_t max_tag_value_bytes = 1024;
  std::size_t max_search_bytes = 256;
  std::uint64_t max_limit = 500;
  // NIP-01 lets a relay return fewer events than `limit`, so by default a
  // larger limit is lowered to max_limit; false rejects it instead.
  bool clamp_limit = true;
};

// One `#<letter>` condition: the event must have a tag named `letter` whose
// value (second element) is one of `values`.
struct TagCondition {
  char letter = 0;                  // a-z or A-Z
  std::vector<std::string> values;  // sorted, unique

  friend bool operator==(const TagCondition&, const TagCondition&) = default;
};

struct Filter {
  // Absent (nullopt) means "no condition". Present but empty matches no
  // event: NIP-01 requires one of the values to match and there is none.
  std::optional<std::vector<EventId>> ids;        // sorted, unique
  std::optional<std::vector<PublicKey>> authors;  // sorted, unique
  std::optional<std::vector<Kind>> kinds;         // sorted, unique
  std::vector<TagCondition> tags;                 // sorted by letter, one per letter
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
  // As given (or clamped to FilterLimits::max_limit). Only for the stored
  // query; live matching ignores it, as NIP-01 says.
  std::optional<std::uint64_t> limit;
  // NIP-50 full-text query. The stored query is the database's job; for live
  // events matches() requires every word of it (ignoring `key:value`
  // extensions) to appear in the content, ASCII case-insensitively.
  std::optional<std::string> search;

  // NIP-01: all present conditions hold (AND), each list needs one value in
  // common with the event (OR within a list). Tag conditions look at the
  // first value of each tag whose name is exactly the letter.
  bool matches(const Event& e) const noexcept;

  // True when no event can match (an empty list, or since > until): the
  // relay can answer EOSE without a query.
  bool matches_nothing() const noexcept;

  const TagCondition* tag(char letter) const noexcept;

  friend bool operator==(const Filter&, const Filter&) = default;
};

// Any filter matches (the OR across the filters of one REQ).
bool matches_any(const std::vector<Filter>& filters, const Event& e) noexcept;

// Parses one filter object. Unknown keys are rejected (NIP-01's CLOSED
// example: "unsupported: filter contains unknown elements"), as are keys
// that appear twice. `ids`, `authors`, `#e` and `#p` values must be exactly
// 64 lowercase hex chars; `kinds` values integers in [0, 65535]; `since` and
// `until` integers in [0, kMaxCreatedAt]; `limit` a non-negative integer.
Result<Filter, ParseError> parse_filter(std::string_view json, const FilterLimits& limits = {});

// Compact JSON of the filter (lists in their sorted order), which
// parse_filter reads back to an equal Filter.
std::string filter_to_json(const Filter& f);

}  // namespace marina::nostr
