#pragma once
// auth's own configuration, declared once (marina-auth --config-help lists it).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "admin_keys.hpp"

namespace marina::core {
class Config;
}

namespace marina::auth {

struct Settings {
  // A token is accepted while |now - created_at| <= window (NIP-98 suggests 60 s).
  std::chrono::seconds window{60};
  // Longest Authorization header verified; a NIP-98 event is a few hundred bytes.
  std::size_t max_header_bytes = 8 * 1024;
  // Failed verifications one client address may make per minute before
  // /verify refuses it outright until the minute ends.
  std::int64_t failures_per_minute = 30;
  AdminKeys admins;
  std::string passport_secret;
  std::chrono::seconds passport_lifetime{30};
};

// Declares AUTH_WINDOW, AUTH_MAX_HEADER_BYTES, AUTH_FAILURES_PER_MINUTE,
// HOSTING_ADMIN_PUBKEYS, PASSPORT_SECRET and PASSPORT_LIFETIME. Bad values
// are reported by config.finish(), except a malformed admin key or a short
// secret, which throw core::ConfigError at once.
Settings declare_settings(core::Config& config);

}  // namespace marina::auth
