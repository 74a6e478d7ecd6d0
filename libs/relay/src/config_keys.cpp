#include "marina/relay/config_keys.hpp"

#include <algorithm>

#include "marina/relay/settings.hpp"

#ifndef MARINA_VERSION
#define MARINA_VERSION "0.0.0"
#endif

namespace marina::relay {
namespace {

ConfigKey declared(std::string_view name, ConfigType type, std::string_view category, std::string_view description,
                   std::string_view default_value) {
  ConfigKey k;
  k.name = name;
  k.type = type;
  k.category = category;
  k.description = description;
  k.default_value = default_value;
  return k;
}

ConfigKey integer(std::string_view name, std::string_view category, std::string_view description,
                  std::string_view default_value, std::int64_t min, std::int64_t max) {
  ConfigKey k = declared(name, ConfigType::integer, category, description, default_value);
  k.min = min;
  k.max = max;
  return k;
}

ConfigKey boolean(std::string_view name, std::string_view category, std::string_view description,
                  std::string_view default_value) {
  return declared(name, ConfigType::boolean, category, description, default_value);
}

ConfigKey string(std::string_view name, std::string_view category, std::string_view description,
                 std::string_view default_value, TextFormat format, std::size_t max_bytes,
                 std::size_t max_items = 0) {
  ConfigKey k = declared(name, ConfigType::string, category, description, default_value);
  k.format = format;
  k.max_bytes = max_bytes;
  k.max_items = max_items;
  return k;
}

std::vector<ConfigKey> build_catalogue() {
  // The event bounds default to the platform's (RelayLimits), so a relay with
  // its default configuration behaves as every relay did before per-relay
  // configuration existed. Static: the catalogue's string_views point here.
  static const RelayLimits platform;
  static const std::string kMessageLength = std::to_string(platform.max_message_bytes);
  static const std::string kSubscriptions = std::to_string(platform.max_subscriptions);
  static const std::string kEventTags = std::to_string(platform.max_event_tags);
  static const std::string kContentLength = std::to_string(platform.max_content_length);
  std::vector<ConfigKey> c;
  ConfigKey name = string("relay_name", "relay", "Relay name displayed in NIP-11 (default: the relay's name, else its subdomain)",
                          "", TextFormat::line, 200);
  name.default_source = DefaultSource::relay_name;
  c.push_back(name);
  ConfigKey description = string("relay_description", "relay",
                                 "Relay description displayed in NIP-11 (default: the relay's description)", "",
                                 TextFormat::text, 2000);
  description.default_source = DefaultSource::relay_description;
  c.push_back(description);
  c.push_back(string("relay_contact", "relay", "Admin contact in NIP-11 (empty: the owner as a nostr: URI)", "",
                     TextFormat::line, 200));
  c.push_back(string("relay_icon", "relay", "URL of the relay's icon in NIP-11", "", TextFormat::url, 500));
  c.push_back(string("relay_software", "relay", "Software identifier in NIP-11", "marina", TextFormat::line, 200));
  c.push_back(string("relay_version", "relay", "Software version in NIP-11", MARINA_VERSION, TextFormat::line, 64));
  c.push_back(string("supported_nips", "relay",
                     "NIPs the relay announces (NIP-11 lists those of them the relay does with its configuration)",
                     "1,9,11,13,40,42,45,50,62,70", TextFormat::nip_list, 400, 100));
  c.push_back(string("language_tags", "relay", "Languages of the relay's content in NIP-11 (* for any)", "*",
                     TextFormat::language_list, 400, 50));
  c.push_back(string("relay_countries", "relay", "Countries whose laws may apply, in NIP-11 (* for any)", "*",
                     TextFormat::country_list, 400, 50));
  c.push_back(string("posting_policy", "relay", "URL of the posting policy in NIP-11", "", TextFormat::url, 500));
  c.push_back(string("payments_url", "relay", "URL where users pay, in NIP-11", "", TextFormat::url, 500));

  c.push_back(integer("max_connections", "limits", "Open WebSocket connections to the relay (lowering it closes none)",
                      "1000", 1, 10000));
  c.push_back(integer("max_subscriptions_per_client", "limits", "Open subscriptions per connection", kSubscriptions, 1,
                      100));
  c.push_back(integer("max_total_subscriptions", "limits", "Open subscriptions across all connections", "5000", 100,
                      50000));
  c.push_back(integer("max_message_length", "limits", "Largest WebSocket message from a client, in bytes",
                      kMessageLength, 1024, 1048576));
  c.push_back(integer("max_event_tags", "limits", "Tags per event", kEventTags, 10, 10000));
  c.push_back(integer("max_content_length", "limits", "Bytes of event content", kContentLength, 1, 1048576));

  c.push_back(boolean("auth_enabled", "auth", "Enable whitelist/blacklist authentication", "false"));
  c.push_back(boolean("nip42_auth_required", "auth", "REQ, COUNT and EVENT wait for NIP-42 AUTH", "false"));
  c.push_back(string("nip42_auth_required_kinds", "auth", "Kinds whose publication needs NIP-42 AUTH (comma-separated)",
                     "", TextFormat::kind_list, 2000, 200));
  c.push_back(integer("nip42_challenge_timeout", "auth", "Seconds a NIP-42 challenge stays valid", "300", 5, 3600));
  c.push_back(string("admin_pubkeys", "auth", "Admins besides the owner (comma-separated 64-hex pubkeys)", "",
                     TextFormat::pubkey_list, 50 * 65, 50));

  c.push_back(integer("pow_min_difficulty", "pow", "Minimum NIP-13 proof-of-work difficulty", "0", 0, 40));
  ConfigKey pow_mode = string("pow_mode", "pow", "PoW enforcement mode", "optional", TextFormat::choice, 16);
  pow_mode.choices = {"disabled", "optional", "required"};
  c.push_back(pow_mode);

  c.push_back(boolean("nip40_expiration_enabled", "expiration", "Enable NIP-40 expiration support", "true"));
  // Marina refused expired events on arrival before this key existed.
  c.push_back(boolean("nip40_expiration_strict", "expiration", "Refuse events that have already expired", "true"));
  c.push_back(boolean("nip40_expiration_filter", "expiration", "Hide expired events from results", "true"));
  c.push_back(integer("nip40_expiration_grace_period", "expiration", "Seconds of grace after an event's expiration",
                      "300", 0, 86400));

  c.push_back(integer("kind_24567_reporting_throttle_sec", "monitoring",
                      "Seconds between monitoring events (kind 24567)", "5", 1, 3600));
  return c;
}

}  // namespace

std::string_view to_string(ConfigType type) noexcept {
  switch (type) {
    case ConfigType::integer:
      return "integer";
    case ConfigType::boolean:
      return "boolean";
    case ConfigType::string:
      break;
  }
  return "string";
}

const std::vector<ConfigKey>& config_catalogue() {
  static const std::vector<ConfigKey> catalogue = build_catalogue();
  return catalogue;
}

const ConfigKey* find_config_key(std::string_view name) noexcept {
  const auto& c = config_catalogue();
  auto it = std::find_if(c.begin(), c.end(), [&](const ConfigKey& k) { return k.name == name; });
  return it == c.end() ? nullptr : &*it;
}

std::string range_text(const ConfigKey& key) { return range_text(key, key.max); }

std::string range_text(const ConfigKey& key, std::int64_t ceiling) {
  if (key.type == ConfigType::integer) {
    // A cap below the key's minimum leaves only the minimum.
    const std::int64_t max = std::max(key.min, std::min(key.max, ceiling));
    return std::to_string(key.min) + "-" + std::to_string(max);
  }
  std::string out;
  for (auto choice : key.choices) {
    if (!out.empty()) out += '/';
    out += choice;
  }
  return out;
}

std::string_view software_version() noexcept { return MARINA_VERSION; }

}  // namespace marina::relay
