#include "marina/relay_query/query_settings.hpp"

#include <unistd.h>

#include <cstdio>

#include "marina/core/config.hpp"
#include "marina/service/trusted_proxies.hpp"

namespace marina::relay_query {

std::string default_replica_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "relay-query");
  return std::string(host) + "-" + std::to_string(::getpid());
}

QuerySettings declare_query_settings(core::Config& c) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  QuerySettings s;
  s.replica_id = c.string("REPLICA_ID", "",
                          "This replica's name: where its OKs come back (marina:replies:<REPLICA_ID>). "
                          "Default: hostname-pid");
  if (s.replica_id.empty()) s.replica_id = default_replica_id();
  s.ok_timeout = c.duration("RELAY_QUERY_OK_TIMEOUT", s.ok_timeout, milliseconds(100), std::chrono::minutes(5),
                            "An EVENT without an outcome from relay-ingest by then gets OK false \"error: timed out\"");
  s.max_pending_events = static_cast<std::size_t>(
      c.integer("RELAY_QUERY_MAX_PENDING_EVENTS", static_cast<std::int64_t>(s.max_pending_events), 1, 100000,
                "EVENTs of one connection waiting for their OK (more: OK false \"rate-limited:\")"));
  s.ping_interval = c.duration("RELAY_QUERY_PING_INTERVAL", s.ping_interval, seconds(1), std::chrono::hours(1),
                               "WebSocket ping after this much client silence; no answer within as long again: dropped");
  s.handshake_timeout = c.duration("RELAY_QUERY_HANDSHAKE_TIMEOUT", s.handshake_timeout, milliseconds(100),
                                   std::chrono::minutes(1), "Time allowed for the WebSocket opening and closing handshakes");
  s.directory_reconcile = c.duration("RELAY_QUERY_DIRECTORY_RECONCILE", s.directory_reconcile, seconds(1),
                                     std::chrono::hours(24), "How often the relay directory is reloaded from PostgreSQL");
  s.presence_interval = c.duration("RELAY_QUERY_PRESENCE_INTERVAL", s.presence_interval, seconds(1), std::chrono::minutes(5),
                                   "How often connection and subscription counts per relay are reported to Redis "
                                   "(an admin's system_status); keep it below tenants' ADMIN_PRESENCE_FRESH");
  s.recent_event_ids = static_cast<std::size_t>(
      c.integer("RELAY_QUERY_RECENT_EVENT_IDS", static_cast<std::int64_t>(s.recent_event_ids), 16, 10'000'000,
                "Event ids remembered per relay so a live subscriber never gets an event twice"));
  s.ingest_stream_maxlen = static_cast<std::size_t>(
      c.integer("RELAY_QUERY_INGEST_MAXLEN", static_cast<std::int64_t>(s.ingest_stream_maxlen), 1000, 1'000'000'000,
                "MAXLEN ~ of marina:ingest when relay-query adds to it"));
  s.activity_log_rows = static_cast<std::size_t>(
      c.integer("RELAY_QUERY_ACTIVITY_LOG_ROWS", static_cast<std::int64_t>(s.activity_log_rows), 0, 1'000'000,
                "Subscription and broadcast log rows kept per relay and table for sql_query (0: not recorded)"));
  s.activity_log_flush = c.duration("RELAY_QUERY_ACTIVITY_LOG_FLUSH", s.activity_log_flush, milliseconds(100),
                                    std::chrono::minutes(10), "How often the subscription and broadcast logs are written");
  s.trusted_proxies = service::declare_trusted_proxies(c);
  s.relay = relay::declare_relay_settings(c);
  return s;
}

}  // namespace marina::relay_query
