#include "settings.hpp"

#include <stdexcept>

#include "marina/core/ascii.hpp"
#include "marina/core/config.hpp"
#include "marina/nostr/hex.hpp"

namespace marina::tenants {

Settings declare_settings(core::Config& config) {
  Settings s;
  s.relay = relay::declare_relay_settings(config);
  const std::string master_hex = config.secret(
      "MASTER_KEY", "", "64 hex chars (32 bytes): AES-256-GCM key that seals relay secret keys at rest");
  const auto master = nostr::hex_decode(master_hex);
  if (!master || master->size() != 32) {
    throw core::ConfigError("MASTER_KEY: must be 64 hex characters (32 bytes)");
  } else {
    s.master_key.assign(master->begin(), master->end());
  }
  s.reserved_subdomains = {"api", "admin", "www"};
  for (auto& name : config.list("RESERVED_SUBDOMAINS", "",
                                "Subdomains no tenant may take, beyond api, admin and www (comma-separated)")) {
    s.reserved_subdomains.insert(core::ascii_lower(name));
  }
  s.import_max_events = static_cast<std::size_t>(config.integer(
      "IMPORT_MAX_EVENTS", 10'000, 1, 1'000'000, "Most events (NDJSON lines) one import request may carry"));
  s.import_max_body_bytes = static_cast<std::size_t>(config.integer(
      "IMPORT_MAX_BODY_BYTES", 16 << 20, 1, std::int64_t{1} << 30,
      "Largest import request body (413 payload-too-large beyond); other routes: HTTP_MAX_BODY_BYTES"));
  s.import_timeout_ms = config.duration("IMPORT_TIMEOUT", std::chrono::seconds(60), std::chrono::seconds(1),
                                        std::chrono::minutes(30), "How long an import waits for the write path")
                            .count();
  using std::chrono::milliseconds;
  using namespace std::chrono_literals;
  auto& a = s.admin;
  a.command_timeout = config.duration("ADMIN_COMMAND_TIMEOUT", a.command_timeout, 100ms, 10min,
                                      "Longest time one statement of an admin command (kind 23456) may take; past it "
                                      "the command is answered `timeout` and changes nothing");
  a.workers = static_cast<std::size_t>(config.integer(
      "ADMIN_WORKERS", 2, 1, 64, "Admin commands executed at once (each with one database connection of its own)"));
  a.block = config.duration("ADMIN_BLOCK", a.block, 10ms, 10s, "XREADGROUP BLOCK time on marina:admin");
  a.claim_idle = config.duration("ADMIN_CLAIM_IDLE", a.claim_idle, 1s, 1h,
                                 "A marina:admin entry pending this long with a dead consumer is taken over");
  a.replay_retention = std::chrono::duration_cast<std::chrono::seconds>(config.duration(
      "ADMIN_REPLAY_RETENTION", a.replay_retention, 1min, 24h * 365,
      "How long admin command ids are remembered against replays; older commands are not executed"));
  a.purge_interval = config.duration("ADMIN_REPLAY_PURGE_INTERVAL", a.purge_interval, 1s, 24h,
                                     "How often remembered admin command ids past ADMIN_REPLAY_RETENTION are deleted");
  a.events_maxlen = static_cast<std::size_t>(config.integer(
      "EVENTS_STREAM_MAXLEN", 100000, 100, 100000000, "Approximate length kept of marina:events (admin answers go there)"));
  a.stats_kinds = static_cast<std::size_t>(
      config.integer("ADMIN_STATS_KINDS", 50, 1, 65536, "Most event kinds listed by stats_query (the most used first)"));
  a.stats_pubkeys = static_cast<std::size_t>(
      config.integer("ADMIN_STATS_TOP_PUBKEYS", 10, 1, 1000, "Most authors listed by stats_query's top_pubkeys"));
  a.presence_fresh = config.duration("ADMIN_PRESENCE_FRESH", a.presence_fresh, 1s, 10min,
                                     "A relay-query replica's connection counts (system_status) count while younger "
                                     "than this; keep it above RELAY_QUERY_PRESENCE_INTERVAL");
  return s;
}

}  // namespace marina::tenants
