#include "policy_repository.hpp"

#include "repository.hpp"

namespace marina::tenants::repo {
namespace {

const std::string kRuleColumns =
    "id, rule_type, pattern_type, pattern_value, action, reason, " + rfc3339_sql("created_at");

Rule rule_from(const pqxx::row& row) {
  Rule r;
  r.id = row[0].as<std::int64_t>();
  r.rule_type = row[1].c_str();
  r.pattern_type = row[2].c_str();
  r.pattern_value = row[3].c_str();
  r.action = row[4].c_str();
  r.reason = row[5].c_str();
  r.created_at = row[6].c_str();
  return r;
}

}  // namespace

void set_config(pqxx::work& tx, const std::string& relay_id, const std::string& key, const std::string& value) {
  tx.exec_params(
      "INSERT INTO relay_config (relay_id, key, value) VALUES ($1::uuid, $2, $3) "
      "ON CONFLICT (relay_id, key) DO UPDATE SET value = EXCLUDED.value",
      relay_id, key, value);
}

void reset_config(pqxx::work& tx, const std::string& relay_id, const std::string& key) {
  tx.exec_params("DELETE FROM relay_config WHERE relay_id = $1::uuid AND key = $2", relay_id, key);
}

std::vector<Rule> list_rules(pqxx::work& tx, const std::string& relay_id) {
  std::vector<Rule> out;
  for (const auto& row :
       tx.exec_params("SELECT " + kRuleColumns + " FROM relay_auth_rules WHERE relay_id = $1::uuid ORDER BY id", relay_id))
    out.push_back(rule_from(row));
  return out;
}

Rule insert_rule(pqxx::work& tx, const std::string& relay_id, const std::string& rule_type,
                 const std::string& pattern_type, const std::string& pattern_value, const std::string& reason) {
  return rule_from(tx.exec_params(
      "INSERT INTO relay_auth_rules (relay_id, rule_type, pattern_type, pattern_value, reason) "
      "VALUES ($1::uuid, $2, $3, $4, $5) RETURNING " + kRuleColumns,
      relay_id, rule_type, pattern_type, pattern_value, reason)[0]);
}

std::optional<Rule> delete_rule(pqxx::work& tx, const std::string& relay_id, std::int64_t rule_id) {
  const auto rows = tx.exec_params(
      "DELETE FROM relay_auth_rules WHERE relay_id = $1::uuid AND id = $2 RETURNING " + kRuleColumns, relay_id, rule_id);
  if (rows.empty()) return std::nullopt;
  return rule_from(rows[0]);
}

std::int64_t delete_all_rules(pqxx::work& tx, const std::string& relay_id) {
  return tx.exec_params0("DELETE FROM relay_auth_rules WHERE relay_id = $1::uuid", relay_id).affected_rows();
}

std::int64_t count_rules(pqxx::work& tx, const std::string& relay_id, const std::string& rule_type) {
  return tx
      .exec_params("SELECT count(*) FROM relay_auth_rules WHERE relay_id = $1::uuid AND rule_type = $2", relay_id,
                   rule_type)[0][0]
      .as<std::int64_t>();
}

}  // namespace marina::tenants::repo
