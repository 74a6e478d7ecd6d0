#pragma once
// The tables of a relay's policy as PostgreSQL holds them: `relay_config`
// (the values its owner set), `relay_auth_rules`, and `plans`. Reading only;
// tenants writes these tables. The relay services never call these: their
// RelayDirectory reads a relay and its whole policy in one snapshot
// (relay_directory.cpp), and a store::Relay carries it.
#include <optional>
#include <string>
#include <vector>

#include "marina/relay/auth_rules.hpp"
#include "marina/relay/plan_limits.hpp"
#include "marina/relay/relay_config.hpp"

namespace pqxx {
class transaction_base;
}

namespace marina::store {

// A relay's stored configuration rows (key -> text), as written; empty for
// an unknown or malformed id.
relay::ConfigRows load_config_rows(pqxx::transaction_base& tx, const std::string& relay_id);
// A relay's auth rules, oldest first.
std::vector<relay::AuthRule> load_auth_rules(pqxx::transaction_base& tx, const std::string& relay_id);
// One plan; nullopt when there is none by that id.
std::optional<relay::PlanLimits> load_plan(pqxx::transaction_base& tx, const std::string& plan_id);
// Every plan, by id.
std::vector<relay::PlanLimits> load_plans(pqxx::transaction_base& tx);

}  // namespace marina::store
