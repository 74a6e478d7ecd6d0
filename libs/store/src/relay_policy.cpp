#include "marina/store/relay_policy.hpp"

#include <pqxx/pqxx>

#include "policy_rows.hpp"
#include "uuid.hpp"

namespace marina::store {

relay::ConfigRows load_config_rows(pqxx::transaction_base& tx, const std::string& relay_id) {
  relay::ConfigRows rows;
  const auto id = detail::canonical_uuid(relay_id);
  if (!id) return rows;
  for (const auto& row : tx.exec_params("SELECT key, value FROM relay_config WHERE relay_id = $1::uuid", *id))
    rows.emplace(row[0].c_str(), row[1].c_str());
  return rows;
}

std::vector<relay::AuthRule> load_auth_rules(pqxx::transaction_base& tx, const std::string& relay_id) {
  std::vector<relay::AuthRule> rules;
  const auto id = detail::canonical_uuid(relay_id);
  if (!id) return rules;
  for (const auto& row :
       tx.exec_params(std::string(detail::kRuleSelect) + " WHERE relay_id = $1::uuid ORDER BY id", *id))
    rules.push_back(detail::rule_from(row));
  return rules;
}

std::optional<relay::PlanLimits> load_plan(pqxx::transaction_base& tx, const std::string& plan_id) {
  const auto rows =
      tx.exec_params(std::string("SELECT ") + detail::kPlanColumns + " FROM plans p WHERE p.id = $1", plan_id);
  if (rows.empty()) return std::nullopt;
  return detail::plan_from(rows[0], 0);
}

std::vector<relay::PlanLimits> load_plans(pqxx::transaction_base& tx) {
  std::vector<relay::PlanLimits> out;
  for (const auto& row : tx.exec(std::string("SELECT ") + detail::kPlanColumns + " FROM plans p ORDER BY p.id"))
    out.push_back(detail::plan_from(row, 0));
  return out;
}

}  // namespace marina::store
