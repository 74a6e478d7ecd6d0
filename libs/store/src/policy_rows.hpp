#pragma once
// How rows of `plans` and `relay_auth_rules` become libs/relay values: shared
// by relay_policy.cpp (tenants' reads) and relay_directory.cpp (the relay
// services' reads), so both read a column list the same way.
#include <pqxx/row>

#include "marina/relay/auth_rules.hpp"
#include "marina/relay/plan_limits.hpp"

namespace marina::store::detail {

// The columns plan_from reads, for a query with `plans` aliased `p`.
inline constexpr const char* kPlanColumns =
    "p.id, p.name, p.max_relays, p.max_stored_events, p.max_connections, p.max_subscriptions, "
    "p.max_events_per_minute, p.max_whitelist_rules, array_to_string(p.features, E'\\n')";
inline constexpr int kPlanColumnCount = 9;

// The plan in the kPlanColumns starting at column `first`.
relay::PlanLimits plan_from(const pqxx::row& row, int first);

// The columns rule_from reads, from `relay_auth_rules`: relay_id first.
inline constexpr const char* kRuleSelect =
    "SELECT relay_id::text, id, rule_type, pattern_type, pattern_value FROM relay_auth_rules";

relay::AuthRule rule_from(const pqxx::row& row);

}  // namespace marina::store::detail
