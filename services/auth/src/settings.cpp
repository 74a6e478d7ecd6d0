#include "settings.hpp"

#include <stdexcept>

#include "marina/core/config.hpp"
#include "marina/passport/config.hpp"
#include "marina/service/trusted_proxies.hpp"

namespace marina::auth {

using namespace std::chrono_literals;

Settings declare_settings(core::Config& config) {
  Settings s;
  s.window = std::chrono::duration_cast<std::chrono::seconds>(
      config.duration("AUTH_WINDOW", 60s, 1s, 1h,
                      "How far a NIP-98 token's created_at may be from now, either way (older: stale, later: future)."));
  s.max_header_bytes = static_cast<std::size_t>(config.integer(
      "AUTH_MAX_HEADER_BYTES", 8 * 1024, 256, 64 * 1024, "Largest Authorization header verified (header-too-large beyond)."));
  s.failures_per_minute = config.integer(
      "AUTH_FAILURES_PER_MINUTE", 30, 1, 1'000'000,
      "Failed verifications per minute per client address and per claimed pubkey; past it their bad tokens are "
      "refused as rate-limited until the minute ends (valid tokens still pass).");
  auto admins = config.list("HOSTING_ADMIN_PUBKEYS", "",
                            "Platform admins (role admin): comma-separated pubkeys, 64 hex characters or npub.");
  try {
    s.admins = AdminKeys::parse(admins);
  } catch (const std::invalid_argument& e) {
    throw core::ConfigError(std::string("invalid configuration: HOSTING_ADMIN_PUBKEYS: ") + e.what());
  }
  s.passport_secret = passport::declare_secret(config);
  s.passport_lifetime = std::chrono::duration_cast<std::chrono::seconds>(config.duration(
      "PASSPORT_LIFETIME", 30s, 1s, 10min, "How long an X-Auth-Passport stays valid after auth issued it."));
  s.trusted_proxies = service::declare_trusted_proxies(config);
  return s;
}

}  // namespace marina::auth
