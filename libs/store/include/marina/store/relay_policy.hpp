#pragma once
// A relay's policy as PostgreSQL holds it, for the relay services (through
// their relay-directory syncer) and tenants: its configuration in force
// (relay_config rows over the catalogue's defaults, capped by its plan), its
// auth rules (relay_auth_rules) and its plan's limits (plans). Reading only;
// tenants writes these tables.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "marina/relay/auth_rules.hpp"
#include "marina/relay/plan_limits.hpp"
#include "marina/relay/relay_config.hpp"

namespace pqxx {
class transaction_base;
}
namespace marina::pg {
class Pool;
}

namespace marina::store {

struct RelayPolicy {
  std::string relay_id;
  relay::RelayConfigPtr config;  // never null
  relay::AuthRulesPtr rules;     // never null
  std::shared_ptr<const relay::PlanLimits> plan;  // never null
};

// One relay's policy; nullopt when there is no such relay (or `relay_id` is
// not a UUID). Three statements on `tx`.
std::optional<RelayPolicy> load_relay_policy(pqxx::transaction_base& tx, const std::string& relay_id);
// Every relay's policy (a syncer's start or reconciliation), in no particular
// order. Three statements, whatever the number of relays.
std::vector<RelayPolicy> load_all_relay_policies(pqxx::transaction_base& tx);

// The same on a pool connection (read-only; the pool's thread does the work).
boost::asio::awaitable<std::optional<RelayPolicy>> load_relay_policy(pg::Pool& pool, std::string relay_id);
boost::asio::awaitable<std::vector<RelayPolicy>> load_all_relay_policies(pg::Pool& pool);

// A relay's stored configuration rows (key -> text), as written.
relay::ConfigRows load_config_rows(pqxx::transaction_base& tx, const std::string& relay_id);
// A relay's auth rules, oldest first.
std::vector<relay::AuthRule> load_auth_rules(pqxx::transaction_base& tx, const std::string& relay_id);
// One plan; nullopt when there is none by that id.
std::optional<relay::PlanLimits> load_plan(pqxx::transaction_base& tx, const std::string& plan_id);
// Every plan, by id.
std::vector<relay::PlanLimits> load_plans(pqxx::transaction_base& tx);

}  // namespace marina::store
