#pragma once
// auth's own configuration, declared once (marina-auth --config-help lists it).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "admin_keys.hpp"
#include "marina/http/client_address.hpp"

namespace marina::core {
class Config;
}

namespace marina::auth {

struct Settings {
  // A token is accepted while |now - created_at| <= window (NIP-98 suggests 60 s).
  std::chrono::seconds window{60};
  // Longest Authorization header verified; a NIP-98 event is a few hundred bytes.
  std::size_t max_header_bytes = 8 * 1024;
  // Failed verifications per minute one client address, or one claimed
  // pubkey, may cause before its bad tokens are refused as rate-limited
  // until the minute ends (valid tokens still pass).
  std::int64_t failures_per_minute = 30;
  // Peers whose X-Real-IP / X-Forwarded-For name the client (the ingress);
  // declare_settings reads TRUSTED_PROXIES. Empty: every peer is the client.
  http::TrustedProxies trusted_proxies;
  AdminKeys admins;
  std::string passport_secret;
  std::chrono::seconds passport_lifetime{30};
};

// Declares AUTH_WINDOW, AUTH_MAX_HEADER_BYTES, AUTH_FAILURES_PER_MINUTE,
// HOSTING_ADMIN_PUBKEYS, PASSPORT_SECRET, PASSPORT_LIFETIME and
// TRUSTED_PROXIES. Bad values are reported by config.finish(), except a
// malformed admin key or proxy address or a short secret, which throw
// core::ConfigError at once.
Settings declare_settings(core::Config& config);

}  // namespace marina::auth
