#pragma once
// The `plans` table as billing reads and changes it: the one definition of
// plans (migrations 0006 and 0010), whose limits tenants and the relay
// services enforce and whose price billing charges.
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace marina::billing::store {

struct Plan {
  std::string id;
  std::string name;
  std::int64_t price_msats = 0;
  std::int64_t max_relays = 0;
  std::int64_t max_stored_events = 0;
  std::int64_t max_connections = 0;
  std::int64_t max_subscriptions = 0;
  std::int64_t max_events_per_minute = 0;
  std::int64_t max_whitelist_rules = 0;
  std::vector<std::string> features;
  std::string updated_at;
};

// Cheapest first, then id.
std::vector<Plan> list_plans(pqxx::work& tx);
std::optional<Plan> find_plan(pqxx::work& tx, const std::string& id);

// What PUT /admin/plans/:id may change; unset fields stay as they are.
struct PlanChanges {
  std::optional<std::string> name;
  std::optional<std::int64_t> price_msats;
  std::optional<std::int64_t> max_relays;
  std::optional<std::int64_t> max_stored_events;
  std::optional<std::int64_t> max_connections;
  std::optional<std::int64_t> max_subscriptions;
  std::optional<std::int64_t> max_events_per_minute;
  std::optional<std::int64_t> max_whitelist_rules;
  std::optional<std::vector<std::string>> features;
};
// The plan after the change; nullopt when there is no such plan.
std::optional<Plan> update_plan(pqxx::work& tx, const std::string& id, const PlanChanges& changes);

}  // namespace marina::billing::store
