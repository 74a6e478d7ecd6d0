#include "marina/relay/relay_config.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "config_text.hpp"
#include "marina/relay/config_value.hpp"

namespace marina::relay {
namespace {

std::string default_of(const ConfigKey& key, const RelayIdentity& relay) {
  switch (key.default_source) {
    case DefaultSource::relay_name:
      return relay.name.empty() ? relay.subdomain : relay.name;
    case DefaultSource::relay_description:
      return relay.description;
    case DefaultSource::fixed:
      break;
  }
  return std::string(key.default_value);
}

// The value lowered to the plan's cap (never below the key's minimum).
std::string capped(const ConfigKey& key, std::string value, const PlanLimits* plan) {
  if (plan == nullptr || key.type != ConfigType::integer) return value;
  const auto cap = plan->ceiling(key.name);
  if (!cap) return value;
  const std::int64_t limit = std::max(key.min, *cap);
  return std::stoll(value) > limit ? std::to_string(limit) : value;
}

// Values reaching the setters are canonical (checked or defaults).
std::int64_t integer(const std::string& v) { return std::stoll(v); }
bool boolean(const std::string& v) { return v == "true"; }
std::vector<int> numbers(const std::string& v) {
  std::vector<int> out;
  for (const auto& item : split_list(v)) out.push_back(std::stoi(item));
  return out;
}
PowMode pow_mode(const std::string& v) {
  if (v == "disabled") return PowMode::disabled;
  if (v == "required") return PowMode::required;
  return PowMode::optional;
}

using Setter = std::function<void(RelayConfig&, const std::string&)>;

const std::unordered_map<std::string_view, Setter>& setters() {
  static const std::unordered_map<std::string_view, Setter> table = {
      {"relay_name", [](RelayConfig& c, const std::string& v) { c.relay_name = v; }},
      {"relay_description", [](RelayConfig& c, const std::string& v) { c.relay_description = v; }},
      {"relay_contact", [](RelayConfig& c, const std::string& v) { c.relay_contact = v; }},
      {"relay_icon", [](RelayConfig& c, const std::string& v) { c.relay_icon = v; }},
      {"relay_software", [](RelayConfig& c, const std::string& v) { c.relay_software = v; }},
      {"relay_version", [](RelayConfig& c, const std::string& v) { c.relay_version = v; }},
      {"supported_nips", [](RelayConfig& c, const std::string& v) { c.supported_nips = numbers(v); }},
      {"language_tags", [](RelayConfig& c, const std::string& v) { c.language_tags = split_list(v); }},
      {"relay_countries", [](RelayConfig& c, const std::string& v) { c.relay_countries = split_list(v); }},
      {"posting_policy", [](RelayConfig& c, const std::string& v) { c.posting_policy = v; }},
      {"payments_url", [](RelayConfig& c, const std::string& v) { c.payments_url = v; }},
      {"max_connections", [](RelayConfig& c, const std::string& v) { c.max_connections = integer(v); }},
      {"max_subscriptions_per_client",
       [](RelayConfig& c, const std::string& v) { c.max_subscriptions_per_client = integer(v); }},
      {"max_total_subscriptions", [](RelayConfig& c, const std::string& v) { c.max_total_subscriptions = integer(v); }},
      {"max_message_length", [](RelayConfig& c, const std::string& v) { c.max_message_length = integer(v); }},
      {"max_event_tags", [](RelayConfig& c, const std::string& v) { c.max_event_tags = integer(v); }},
      {"max_content_length", [](RelayConfig& c, const std::string& v) { c.max_content_length = integer(v); }},
      {"auth_enabled", [](RelayConfig& c, const std::string& v) { c.auth_enabled = boolean(v); }},
      {"nip42_auth_required", [](RelayConfig& c, const std::string& v) { c.nip42_auth_required = boolean(v); }},
      {"nip42_auth_required_kinds",
       [](RelayConfig& c, const std::string& v) { c.nip42_auth_required_kinds = numbers(v); }},
      {"nip42_challenge_timeout", [](RelayConfig& c, const std::string& v) { c.nip42_challenge_timeout = integer(v); }},
      {"admin_pubkeys", [](RelayConfig& c, const std::string& v) { c.admin_pubkeys = split_list(v); }},
      {"pow_min_difficulty", [](RelayConfig& c, const std::string& v) { c.pow_min_difficulty = integer(v); }},
      {"pow_mode", [](RelayConfig& c, const std::string& v) { c.pow_mode = pow_mode(v); }},
      {"nip40_expiration_enabled", [](RelayConfig& c, const std::string& v) { c.nip40_expiration_enabled = boolean(v); }},
      {"nip40_expiration_strict", [](RelayConfig& c, const std::string& v) { c.nip40_expiration_strict = boolean(v); }},
      {"nip40_expiration_filter", [](RelayConfig& c, const std::string& v) { c.nip40_expiration_filter = boolean(v); }},
      {"nip40_expiration_grace_period",
       [](RelayConfig& c, const std::string& v) { c.nip40_expiration_grace_period = integer(v); }},
      {"kind_24567_reporting_throttle_sec",
       [](RelayConfig& c, const std::string& v) { c.kind_24567_reporting_throttle_sec = integer(v); }},
  };
  return table;
}

}  // namespace

std::vector<ConfigEntry> config_entries(const ConfigRows& rows, const RelayIdentity& relay, const PlanLimits* plan) {
  std::vector<ConfigEntry> out;
  out.reserve(config_catalogue().size());
  for (const ConfigKey& key : config_catalogue()) {
    ConfigEntry entry;
    entry.key = &key;
    if (auto it = rows.find(std::string(key.name)); it != rows.end()) {
      try {
        entry.value = canonical_value(key, std::string_view(it->second));
        entry.is_default = false;
      } catch (const ConfigInvalid&) {
        // Not a value this key can have: the default holds.
      }
    }
    if (entry.is_default) entry.value = default_of(key, relay);
    entry.value = capped(key, std::move(entry.value), plan);
    const auto cap = plan != nullptr ? plan->ceiling(key.name) : std::nullopt;
    entry.range = cap ? range_text(key, *cap) : range_text(key);
    out.push_back(std::move(entry));
  }
  return out;
}

RelayConfig RelayConfig::build(const ConfigRows& rows, const RelayIdentity& relay, const PlanLimits* plan) {
  RelayConfig config;
  for (const auto& entry : config_entries(rows, relay, plan)) setters().at(entry.key->name)(config, entry.value);
  return config;
}

bool RelayConfig::kind_requires_auth(int kind) const {
  return std::binary_search(nip42_auth_required_kinds.begin(), nip42_auth_required_kinds.end(), kind);
}

}  // namespace marina::relay
