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
  return s;
}

}  // namespace marina::tenants
