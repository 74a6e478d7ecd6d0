#pragma once
// relay-query's own configuration. The relay bounds it enforces (message size,
// subscriptions, filters, limits, pending bytes, connections per IP, ...) come
// from libs/relay, shared with relay-ingest, so the NIP-11 document shows what
// both services really enforce.
#include <chrono>
#include <cstddef>
#include <string>

#include "marina/relay/settings.hpp"
#include "marina/http/client_address.hpp"

namespace marina::core { class Config; }

namespace marina::relay_query {

struct QuerySettings {
  // This replica's name: the origin of its ingest requests and the suffix of
  // the stream its OKs come back on (marina:replies:<replica_id>).
  std::string replica_id;
  // An EVENT whose outcome has not come back by then gets
  // OK false "error: timed out storing the event".
  std::chrono::milliseconds ok_timeout{10'000};
  // EVENTs of one connection waiting for their OK; past it: OK false "rate-limited: ...".
  std::size_t max_pending_events = 64;
  // A WebSocket ping after this much silence from the client; no answer within
  // as long again and the connection is dropped as dead.
  std::chrono::milliseconds ping_interval{30'000};
  // How long the opening and closing handshakes may take.
  std::chrono::milliseconds handshake_timeout{5'000};
  // The relay directory is reloaded from PostgreSQL this often (the platform
  // stream keeps it current in between; streams are not the source of truth).
  std::chrono::milliseconds directory_reconcile{60'000};
  // How often this replica reports its connections and subscriptions per
  // relay to Redis (marina:presence, read by tenants' system_status).
  std::chrono::milliseconds presence_interval{5'000};
  // Event ids remembered per relay (with live subscribers) so that an event
  // published twice on marina:events reaches a subscriber once.
  std::size_t recent_event_ids = 8192;
  // MAXLEN ~ of marina:ingest when adding to it: a bound on Redis memory if
  // relay-ingest is down for long (clients then get the OK timeout).
  std::size_t ingest_stream_maxlen = 1'000'000;
  // Peers whose X-Real-IP / X-Forwarded-For are believed (TRUSTED_PROXIES: the ingress).
  http::TrustedProxies trusted_proxies;
  // The subscription lifecycle and broadcast logs (the sql_query sandbox's
  // subscription_events and event_broadcasts): rows kept per relay and table
  // (0: not recorded), and how often they are written.
  std::size_t activity_log_rows = 1000;
  std::chrono::milliseconds activity_log_flush{2'000};
  relay::RelaySettings relay;
};

// Declares REPLICA_ID, RELAY_QUERY_*, TRUSTED_PROXIES and the RELAY_* settings on `config`.
QuerySettings declare_query_settings(core::Config& config);

// hostname-pid: unique per process, for when REPLICA_ID is not set.
std::string default_replica_id();

}  // namespace marina::relay_query
