#pragma once
// One relay's configuration in force: every key of the catalogue
// (config_keys.hpp) parsed into its type, built from the relay's
// `relay_config` rows (a missing row is the key's default), its identity (the
// defaults of relay_name and relay_description) and its plan (whose caps lower
// max_connections and the subscription limits). Immutable once built and
// shared as RelayConfigPtr, so a relay service swaps one pointer when the
// configuration changes and every connection reads without a lock.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "marina/relay/config_keys.hpp"
#include "marina/relay/plan_limits.hpp"

namespace marina::relay {

enum class PowMode { disabled, optional, required };

// What a relay's default name and description come from.
struct RelayIdentity {
  std::string subdomain;
  std::string name;
  std::string description;
};

// key -> stored text, as `relay_config` holds them.
using ConfigRows = std::map<std::string, std::string>;

// One key with its value in force, as the API lists them (seed 004's config_query).
struct ConfigEntry {
  const ConfigKey* key = nullptr;
  std::string value;       // canonical text
  bool is_default = true;  // no valid stored row
  std::string range;       // range_text, lowered to the plan's cap; empty when the key has none
};

// Every catalogue key in order. A stored value that is not valid for its key
// (written around the API) counts as missing; one above the plan's cap (the
// plan was lowered since) is shown and used at the cap; unknown keys are
// ignored. `plan` may be null (no caps).
std::vector<ConfigEntry> config_entries(const ConfigRows& rows, const RelayIdentity& relay, const PlanLimits* plan);

struct RelayConfig {
  // relay (NIP-11)
  std::string relay_name;
  std::string relay_description;
  std::string relay_contact;  // empty: the owner, as NIP-11 says
  std::string relay_icon;
  std::string relay_software;
  std::string relay_version;
  std::vector<int> supported_nips;           // sorted
  std::vector<std::string> language_tags;    // {"*"}: any
  std::vector<std::string> relay_countries;  // {"*"}: any; upper case
  std::string posting_policy;
  std::string payments_url;
  // limits
  std::int64_t max_connections = 0;
  std::int64_t max_subscriptions_per_client = 0;
  std::int64_t max_total_subscriptions = 0;
  std::int64_t max_message_length = 0;
  std::int64_t max_event_tags = 0;
  std::int64_t max_content_length = 0;
  // auth
  bool auth_enabled = false;
  bool nip42_auth_required = false;
  std::vector<int> nip42_auth_required_kinds;  // sorted
  std::int64_t nip42_challenge_timeout = 0;    // seconds
  std::vector<std::string> admin_pubkeys;      // lower-case hex, besides the owner
  // pow
  std::int64_t pow_min_difficulty = 0;
  PowMode pow_mode = PowMode::optional;
  // expiration
  bool nip40_expiration_enabled = true;
  bool nip40_expiration_strict = true;
  bool nip40_expiration_filter = true;
  std::int64_t nip40_expiration_grace_period = 0;  // seconds
  // monitoring
  std::int64_t kind_24567_reporting_throttle_sec = 0;

  // Every key at its value in force (see config_entries).
  static RelayConfig build(const ConfigRows& rows, const RelayIdentity& relay, const PlanLimits* plan);

  // True when `kind` is in nip42_auth_required_kinds.
  bool kind_requires_auth(int kind) const;
};

using RelayConfigPtr = std::shared_ptr<const RelayConfig>;

inline RelayConfigPtr make_relay_config(const ConfigRows& rows, const RelayIdentity& relay, const PlanLimits* plan) {
  return std::make_shared<const RelayConfig>(RelayConfig::build(rows, relay, plan));
}

}  // namespace marina::relay
