#pragma once
// The tenants service's own configuration (beyond the shared HTTP/backends
// settings), declared once and validated at start.
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
};

// Declares MASTER_KEY, RESERVED_SUBDOMAINS, IMPORT_* and the relay settings.
// Bad values are reported by config.finish(). (Plans are rows of the `plans`
// table, not settings.)
Settings declare_settings(core::Config& config);

}  // namespace marina::tenants
