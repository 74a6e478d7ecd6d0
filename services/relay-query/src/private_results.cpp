#include "private_results.hpp"

#include <algorithm>

#include "marina/nostr/event_parse.hpp"
#include "marina/relay/private_events.hpp"

namespace marina::relay_query {

std::optional<nostr::Kind> raw_event_kind(std::string_view raw) noexcept {
  // Inside JSON strings every '"' is escaped, and an event has no nested
  // object, so `"kind"` followed by a colon can only be the event's key.
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t from = 0;
  for (;;) {
    const auto at = raw.find("\"kind\"", from);
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t i = at + 6;
    from = i;
    while (i < raw.size() && is_space(raw[i])) ++i;
    if (i >= raw.size() || raw[i] != ':') continue;
    ++i;
    while (i < raw.size() && is_space(raw[i])) ++i;
    std::uint32_t kind = 0;
    std::size_t digits = 0;
    for (; i < raw.size() && raw[i] >= '0' && raw[i] <= '9' && digits < 6; ++i, ++digits)
      kind = kind * 10 + static_cast<std::uint32_t>(raw[i] - '0');
    if (digits == 0 || kind > 65535) return std::nullopt;
    return static_cast<nostr::Kind>(kind);
  }
}

std::size_t drop_unreadable(std::vector<std::string>& stored, std::span<const nostr::PublicKey> readers) {
  const auto before = stored.size();
  std::erase_if(stored, [&](const std::string& raw) {
    const auto kind = raw_event_kind(raw);
    if (kind && !relay::is_private_kind(*kind)) return false;
    // Read back from our own store: its id was checked when it came in.
    auto event = nostr::parse_event(raw, nostr::EventParseOptions{.check_id = false});
    return !event || !relay::readable_by(*event, readers);
  });
  return before - stored.size();
}

}  // namespace marina::relay_query
