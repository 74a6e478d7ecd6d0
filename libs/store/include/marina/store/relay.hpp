#pragma once
// A hosted relay as the relay services see it: a row of `relays`, its
// owner's standing, and its policy (configuration in force, auth rules, plan),
// read together by relay_directory.cpp so a relay is always one consistent unit.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "marina/relay/auth_rules.hpp"
#include "marina/relay/plan_limits.hpp"
#include "marina/relay/relay_config.hpp"

namespace marina::store {

enum class RelayStatus { active, inactive, suspended };
std::string_view to_string(RelayStatus s) noexcept;
std::optional<RelayStatus> parse_relay_status(std::string_view s) noexcept;

struct Relay {
  std::string id;             // uuid, relays.id
  std::string subdomain;      // lower case, unique
  std::string tenant_pubkey;  // hex; the owner, who is also the relay's admin
  std::string name;
  std::string description;
  std::string plan;
  RelayStatus status = RelayStatus::active;
  std::string status_reason;  // why suspended/inactive, shown to clients in "blocked: ..."
  std::string relay_pubkey;   // hex; the relay's own key (NIP-11 `pubkey`)
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t updated_at = 0;
  // The owner's account is suspended: the relay answers reads and refuses
  // every EVENT (serving.hpp) whatever its own status, which the suspension
  // leaves as it was, so restoring the tenant restores exactly what it stopped.
  bool tenant_suspended = false;
  std::string tenant_status_reason;
  // Its policy. Never null in a Relay the directory gives out; a Relay built
  // by hand (tests) may leave them null, which policy checks read as defaults.
  relay::RelayConfigPtr config;
  relay::AuthRulesPtr rules;
  std::shared_ptr<const relay::PlanLimits> plan_limits;
};

}  // namespace marina::store
