// Filter::matches — the per-event hot path of live subscriptions.
#include <algorithm>

#include "marina/core/ascii.hpp"
#include "marina/nostr/filter.hpp"

namespace marina::nostr {

namespace {

bool contains_ignoring_ascii_case(std::string_view haystack, std::string_view needle) noexcept {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && core::ascii_lower(haystack[i + j]) == core::ascii_lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// NIP-50 extension: `key:value`, both sides non-empty. Relays ignore the ones
// they do not support, and live matching supports none.
bool is_extension(std::string_view word) noexcept {
  const auto colon = word.find(':');
  return colon != std::string_view::npos && colon > 0 && colon + 1 < word.size();
}

bool search_matches(std::string_view query, std::string_view content) noexcept {
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && is_space(query[i])) ++i;
    std::size_t j = i;
    while (j < query.size() && !is_space(query[j])) ++j;
    const std::string_view word = query.substr(i, j - i);
    if (!word.empty() && !is_extension(word) && !contains_ignoring_ascii_case(content, word)) return false;
    i = j;
  }
  return true;
}

bool tag_condition_holds(const TagCondition& c, const Tags& tags) noexcept {
  for (const Tag& t : tags) {
    if (t.size() >= 2 && t[0].size() == 1 && t[0][0] == c.letter &&
        std::binary_search(c.values.begin(), c.values.end(), t[1]))
      return true;
  }
  return false;
}

}  // namespace

bool Filter::matches(const Event& e) const noexcept {
  // Cheapest and most selective checks first.
  if (since && e.created_at < *since) return false;
  if (until && e.created_at > *until) return false;
  if (kinds && !std::binary_search(kinds->begin(), kinds->end(), e.kind)) return false;
  if (authors && !std::binary_search(authors->begin(), authors->end(), e.pubkey)) return false;
  if (ids && !std::binary_search(ids->begin(), ids->end(), e.id)) return false;
  for (const TagCondition& c : tags)
    if (!tag_condition_holds(c, e.tags)) return false;
  if (search && !search_matches(*search, e.content)) return false;
  return true;
}

bool Filter::matches_nothing() const noexcept {
  if ((ids && ids->empty()) || (authors && authors->empty()) || (kinds && kinds->empty())) return true;
  for (const TagCondition& c : tags)
    if (c.values.empty()) return true;
  return since && until && *since > *until;
}

const TagCondition* Filter::tag(char letter) const noexcept {
  for (const TagCondition& c : tags)
    if (c.letter == letter) return &c;
  return nullptr;
}

bool matches_any(const std::vector<Filter>& filters, const Event& e) noexcept {
  return std::any_of(filters.begin(), filters.end(), [&](const Filter& f) { return f.matches(e); });
}

}  // namespace marina::nostr
