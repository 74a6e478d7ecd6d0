#pragma once
// The relay settings relay-query and relay-ingest must agree on: the platform
// default bounds of every hosted relay (per-relay configuration overrides
// them in a later issue) and the public URL clients use. Both services
// declare them through declare_relay_settings(), so one environment
// configures both and the NIP-11 document shows what is really enforced.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "marina/nostr/filter.hpp"

namespace marina::core { class Config; }

namespace marina::relay {

struct RelayLimits {
  std::size_t max_message_bytes = 131072;     // one WebSocket message (NIP-11 max_message_length)
  std::size_t max_subscriptions = 50;         // open subscriptions per connection
  std::size_t max_filters = 10;               // filters per REQ/COUNT
  std::uint64_t max_limit = 500;              // `limit` per filter (larger is lowered)
  std::uint64_t default_limit = 500;          // a filter without `limit` returns at most this many stored events
  std::size_t max_subid_length = 64;          // NIP-11 max_subid_length
  std::size_t max_event_tags = 2000;          // tags per event
  std::size_t max_content_length = 102400;    // bytes of content
  std::size_t max_pending_bytes = 4194304;    // queued outbound bytes per connection; past it the reader is dropped
  std::size_t max_connections_per_ip = 200;   // WebSocket connections per client IP per replica
  std::uint32_t events_per_minute_per_ip = 600;       // EVENT rate bound per client IP ("rate-limited:")
  std::uint32_t events_per_minute_per_pubkey = 600;   // EVENT rate bound per author
  std::int64_t created_at_lower_seconds = 94608000;   // how far in the past created_at may be (3 years)
  std::int64_t created_at_upper_seconds = 900;        // how far in the future (15 minutes)
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};  // a connection with no traffic is closed

  // The bounds a filter parser enforces, derived from the above.
  nostr::FilterLimits filter_limits() const;
};

struct RelaySettings {
  std::string relay_domain = "relay.localhost";  // RELAY_DOMAIN: relays live at <subdomain>.<domain>
  std::string public_scheme = "wss";             // RELAY_PUBLIC_SCHEME: ws or wss, as clients connect
  std::uint16_t public_port = 0;                 // PUBLIC_HTTP_PORT: 0 = the scheme's default port
  RelayLimits limits;

  // "wss://<subdomain>.<domain>" (with ":port" when public_port is set): the
  // relay's URL as clients know it (NIP-11, NIP-42, NIP-62, the tenants API).
  std::string relay_url(std::string_view subdomain) const;
};

// Declares RELAY_DOMAIN, RELAY_PUBLIC_SCHEME, PUBLIC_HTTP_PORT and every
// RELAY_* bound on `config` (validated by its finish()).
RelaySettings declare_relay_settings(core::Config& config);

}  // namespace marina::relay
