#pragma once
// The tenants service's own configuration (beyond the shared HTTP/backends
// settings), declared once and validated at start.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "marina/relay/settings.hpp"

namespace marina::core {
class Config;
}

namespace marina::tenants {

struct Settings {
  // Subdomains nobody may take: api, admin, www and RESERVED_SUBDOMAINS.
  std::set<std::string> reserved_subdomains;
  // 32 bytes: the AES-256-GCM key relay secrets are sealed under.
  std::string master_key;
  // URLs of relays (and the platform relay limits, which tenants does not use).
  relay::RelaySettings relay;
  // Import: how many lines (events) one request may carry.
  std::size_t import_max_events = 10'000;
  // Import: the largest body (every other route has HTTP_MAX_BODY_BYTES). The
  // local ingress's client_max_body_size for the route says the same.
  std::size_t import_max_body_bytes = 16 * 1024 * 1024;
  // How long an import waits for relay-ingest's outcomes before giving up.
  std::int64_t import_timeout_ms = 60'000;

  // Admin commands over Nostr (kind 23456, admin_executor.hpp).
  struct Admin {
    // Every statement of a command (the admin pool's statement timeout):
    // past it the command is answered `timeout` and changes nothing.
    std::chrono::milliseconds command_timeout{10'000};
    // Workers reading marina:admin side by side, one admin pool connection each.
    std::size_t workers = 2;
    std::chrono::milliseconds block{2000};
    std::chrono::milliseconds claim_idle{60'000};
    // Command ids are remembered this long; older commands are not executed.
    std::chrono::seconds replay_retention{7 * 24 * 3600};
    std::chrono::milliseconds purge_interval{3'600'000};
    std::size_t events_maxlen = 100'000;  // MAXLEN ~ of marina:events (the answers)
    std::size_t stats_kinds = 50;
    std::size_t stats_pubkeys = 10;
    // A relay-query replica's presence report counts while younger than this.
    std::chrono::milliseconds presence_fresh{15'000};
  } admin;
};

// Declares MASTER_KEY, RESERVED_SUBDOMAINS, IMPORT_* and the relay settings.
// Bad values are reported by config.finish(). (Plans are rows of the `plans`
// table, not settings.)
Settings declare_settings(core::Config& config);

}  // namespace marina::tenants
