#include "event_checks.hpp"

#include "marina/relay/event_limits.hpp"

namespace marina::relay_query {

std::optional<relay::EventRefusal> precheck_event(const nostr::Event& event, const store::Relay& relay,
                                                  const relay::RelayLimits& limits, std::int64_t now) {
  if (auto why = relay::created_at_refusal(event.created_at, now, limits))
    return relay::EventRefusal{"created_at", std::move(*why)};
  return relay::event_policy_refusal(event, relay.tenant_pubkey, relay::config_of(relay.config),
                                     relay::rules_of(relay.rules), limits, now);
}

std::optional<nostr::EventId> raw_event_id(std::string_view raw) noexcept {
  // Inside JSON strings every '"' is escaped, so `"id"` followed by a colon
  // can only be the key of the event object.
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t from = 0;
  for (;;) {
    const auto at = raw.find("\"id\"", from);
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t i = at + 4;
    from = i;
    while (i < raw.size() && is_space(raw[i])) ++i;
    if (i >= raw.size() || raw[i] != ':') continue;
    ++i;
    while (i < raw.size() && is_space(raw[i])) ++i;
    if (i + 66 > raw.size() || raw[i] != '"' || raw[i + 65] != '"') return std::nullopt;
    return nostr::EventId::from_hex(raw.substr(i + 1, 64));
  }
}

std::size_t code_points(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  return n;
}

}  // namespace marina::relay_query
