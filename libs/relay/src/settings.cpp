#include "marina/relay/settings.hpp"

#include "marina/core/config.hpp"

namespace marina::relay {

nostr::FilterLimits RelayLimits::filter_limits() const {
  nostr::FilterLimits f;
  f.max_limit = max_limit;
  f.clamp_limit = true;
  return f;
}

std::string RelaySettings::relay_url(std::string_view subdomain) const {
  std::string url = public_scheme + "://" + std::string(subdomain) + "." + relay_domain;
  if (public_port != 0) url += ":" + std::to_string(public_port);
  return url;
}

RelaySettings declare_relay_settings(core::Config& c) {
  RelaySettings s;
  RelayLimits& l = s.limits;
  s.relay_domain = c.string("RELAY_DOMAIN", s.relay_domain, "Parent domain of every hosted relay: <subdomain>.<RELAY_DOMAIN>");
  s.public_scheme = c.choice("RELAY_PUBLIC_SCHEME", s.public_scheme, {"ws", "wss"}, "Scheme of relay URLs as clients use them");
  s.public_port = c.port("PUBLIC_HTTP_PORT", 0, "Port in public relay URLs (0: the scheme's default, omitted)");
  auto size = [&](const char* name, std::size_t def, std::int64_t min, std::int64_t max, const char* what) {
    return static_cast<std::size_t>(c.integer(name, static_cast<std::int64_t>(def), min, max, what));
  };
  l.max_message_bytes = size("RELAY_MAX_MESSAGE_BYTES", l.max_message_bytes, 1024, 16 << 20, "Largest WebSocket message from a client");
  l.max_subscriptions = size("RELAY_MAX_SUBSCRIPTIONS", l.max_subscriptions, 1, 10000, "Open subscriptions per connection");
  l.max_filters = size("RELAY_MAX_FILTERS", l.max_filters, 1, 1000, "Filters per REQ or COUNT");
  l.max_limit = size("RELAY_MAX_LIMIT", l.max_limit, 1, 100000, "Largest `limit` per filter (a larger one is lowered)");
  l.default_limit = size("RELAY_DEFAULT_LIMIT", l.default_limit, 1, 100000, "Stored events returned for a filter without `limit`");
  l.max_subid_length = size("RELAY_MAX_SUBID_LENGTH", l.max_subid_length, 1, 256, "Longest subscription id");
  l.max_event_tags = size("RELAY_MAX_EVENT_TAGS", l.max_event_tags, 1, 100000, "Tags per event");
  l.max_content_length = size("RELAY_MAX_CONTENT_LENGTH", l.max_content_length, 1, 16 << 20, "Bytes of event content");
  l.max_pending_bytes = size("RELAY_MAX_PENDING_BYTES", l.max_pending_bytes, 65536, 1 << 30, "Outbound bytes queued per connection before a slow reader is dropped");
  l.max_connections_per_ip = size("RELAY_MAX_CONNECTIONS_PER_IP", l.max_connections_per_ip, 1, 1000000, "WebSocket connections per client IP (per replica)");
  l.events_per_minute_per_ip = static_cast<std::uint32_t>(size("RELAY_EVENTS_PER_MINUTE_PER_IP", l.events_per_minute_per_ip, 1, 10000000, "EVENTs per minute per client IP"));
  l.events_per_minute_per_pubkey = static_cast<std::uint32_t>(size("RELAY_EVENTS_PER_MINUTE_PER_PUBKEY", l.events_per_minute_per_pubkey, 1, 10000000, "EVENTs per minute per author pubkey"));
  l.created_at_lower_seconds = c.integer("RELAY_CREATED_AT_LOWER_LIMIT", l.created_at_lower_seconds, 0, 4102444800, "Seconds into the past an event's created_at may be");
  l.created_at_upper_seconds = c.integer("RELAY_CREATED_AT_UPPER_LIMIT", l.created_at_upper_seconds, 0, 4102444800, "Seconds into the future an event's created_at may be");
  l.idle_timeout = c.duration("RELAY_IDLE_TIMEOUT", l.idle_timeout, std::chrono::seconds(5), std::chrono::hours(24), "A client connection with no traffic this long is closed");
  return s;
}

}  // namespace marina::relay
