#include "settings.hpp"

#include <stdexcept>

#include "marina/core/ascii.hpp"
#include "marina/core/config.hpp"
#include "marina/nostr/hex.hpp"

namespace marina::tenants {

std::map<std::string, std::int64_t> parse_plan_limits(const std::string& text) {
  std::map<std::string, std::int64_t> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(pos, end - pos);
    pos = end + 1;
    if (item.find_first_not_of(" \t") == std::string::npos) continue;
    const auto colon = item.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("item '" + item + "' is not name:limit");
    std::string name = item.substr(0, colon);
    std::string limit = item.substr(colon + 1);
    auto trim = [](std::string& s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
    };
    trim(name);
    trim(limit);
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
      throw std::invalid_argument("plan name '" + name + "' must be a-z, 0-9, -");
    if (limit.empty() || limit.size() > 9 || limit.find_first_not_of("0123456789") != std::string::npos)
      throw std::invalid_argument("limit of plan '" + name + "' must be a non-negative integer");
    out[name] = std::stoll(limit);
  }
  if (out.empty()) throw std::invalid_argument("at least one plan is needed");
  return out;
}

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
  const std::string plans = config.string(
      "PLAN_MAX_RELAYS", "free:1,pro:10,business:100",
      "Plans and how many relays (active or suspended) a tenant may have on each: name:limit,...");
  try {
    s.plan_max_relays = parse_plan_limits(plans);
  } catch (const std::invalid_argument& e) {
    throw core::ConfigError(std::string("PLAN_MAX_RELAYS: ") + e.what());
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
