#include "marina/store/relay_policy.hpp"

#include <map>
#include <pqxx/pqxx>

#include "marina/pg/pool.hpp"
#include "uuid.hpp"

namespace marina::store {
namespace {

constexpr const char* kPlanColumns =
    "p.id, p.name, p.max_relays, p.max_stored_events, p.max_connections, p.max_subscriptions, "
    "p.max_events_per_minute, p.max_whitelist_rules, array_to_string(p.features, E'\\n')";

relay::PlanLimits plan_from(const pqxx::row& row, int first) {
  relay::PlanLimits p;
  p.id = row[first].c_str();
  p.name = row[first + 1].c_str();
  p.max_relays = row[first + 2].as<std::int64_t>();
  p.max_stored_events = row[first + 3].as<std::int64_t>();
  p.max_connections = row[first + 4].as<std::int64_t>();
  p.max_subscriptions = row[first + 5].as<std::int64_t>();
  p.max_events_per_minute = row[first + 6].as<std::int64_t>();
  p.max_whitelist_rules = row[first + 7].as<std::int64_t>();
  const std::string features = row[first + 8].c_str();
  std::size_t pos = 0;
  while (pos < features.size()) {
    const auto end = std::min(features.find('\n', pos), features.size());
    p.features.push_back(features.substr(pos, end - pos));
    pos = end + 1;
  }
  return p;
}

// relays r JOIN plans p: the identity (id, subdomain, name, description), then the plan.
const std::string kRelaySelect = std::string("SELECT r.id::text, r.subdomain, r.name, r.description, ") + kPlanColumns +
                                 " FROM relays r JOIN plans p ON p.id = r.plan";

constexpr const char* kRuleSelect =
    "SELECT relay_id::text, id, rule_type, pattern_type, pattern_value FROM relay_auth_rules";

relay::AuthRule rule_from(const pqxx::row& row) {
  relay::AuthRule rule;
  rule.id = row[1].as<std::int64_t>();
  // The table's CHECKs admit only these names.
  rule.rule_type = relay::parse_rule_type(row[2].c_str()).value_or(relay::RuleType::blacklist);
  rule.pattern_type = relay::parse_pattern_type(row[3].c_str()).value_or(relay::PatternType::pubkey);
  rule.pattern_value = row[4].c_str();
  return rule;
}

RelayPolicy policy_from(const pqxx::row& relay_row, const relay::ConfigRows& rows, std::vector<relay::AuthRule> rules) {
  RelayPolicy policy;
  policy.relay_id = relay_row[0].c_str();
  const relay::RelayIdentity identity{relay_row[1].c_str(), relay_row[2].c_str(), relay_row[3].c_str()};
  auto plan = std::make_shared<const relay::PlanLimits>(plan_from(relay_row, 4));
  policy.config = relay::make_relay_config(rows, identity, plan.get());
  policy.rules = std::make_shared<const relay::AuthRules>(std::move(rules));
  policy.plan = std::move(plan);
  return policy;
}

// Several statements that must agree: one snapshot.
using SnapshotRead = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>;

}  // namespace

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
  for (const auto& row : tx.exec_params(std::string(kRuleSelect) + " WHERE relay_id = $1::uuid ORDER BY id", *id))
    rules.push_back(rule_from(row));
  return rules;
}

std::optional<relay::PlanLimits> load_plan(pqxx::transaction_base& tx, const std::string& plan_id) {
  const auto rows = tx.exec_params(std::string("SELECT ") + kPlanColumns + " FROM plans p WHERE p.id = $1", plan_id);
  if (rows.empty()) return std::nullopt;
  return plan_from(rows[0], 0);
}

std::vector<relay::PlanLimits> load_plans(pqxx::transaction_base& tx) {
  std::vector<relay::PlanLimits> out;
  for (const auto& row : tx.exec(std::string("SELECT ") + kPlanColumns + " FROM plans p ORDER BY p.id"))
    out.push_back(plan_from(row, 0));
  return out;
}

std::optional<RelayPolicy> load_relay_policy(pqxx::transaction_base& tx, const std::string& relay_id) {
  const auto id = detail::canonical_uuid(relay_id);
  if (!id) return std::nullopt;
  const auto relays = tx.exec_params(kRelaySelect + " WHERE r.id = $1::uuid", *id);
  if (relays.empty()) return std::nullopt;
  return policy_from(relays[0], load_config_rows(tx, *id), load_auth_rules(tx, *id));
}

std::vector<RelayPolicy> load_all_relay_policies(pqxx::transaction_base& tx) {
  std::map<std::string, relay::ConfigRows> configs;
  for (const auto& row : tx.exec("SELECT relay_id::text, key, value FROM relay_config"))
    configs[row[0].c_str()].emplace(row[1].c_str(), row[2].c_str());
  std::map<std::string, std::vector<relay::AuthRule>> rules;
  for (const auto& row : tx.exec(std::string(kRuleSelect) + " ORDER BY id")) rules[row[0].c_str()].push_back(rule_from(row));
  std::vector<RelayPolicy> out;
  static const relay::ConfigRows kNoRows;
  for (const auto& row : tx.exec(kRelaySelect)) {
    const std::string id = row[0].c_str();
    auto config = configs.find(id);
    auto relay_rules = rules.find(id);
    out.push_back(policy_from(row, config == configs.end() ? kNoRows : config->second,
                              relay_rules == rules.end() ? std::vector<relay::AuthRule>{} : std::move(relay_rules->second)));
  }
  return out;
}

boost::asio::awaitable<std::optional<RelayPolicy>> load_relay_policy(pg::Pool& pool, std::string relay_id) {
  co_return co_await pool.run([&relay_id](pqxx::connection& conn) {
    SnapshotRead tx(conn);
    auto policy = load_relay_policy(tx, relay_id);
    tx.commit();
    return policy;
  });
}

boost::asio::awaitable<std::vector<RelayPolicy>> load_all_relay_policies(pg::Pool& pool) {
  co_return co_await pool.run([](pqxx::connection& conn) {
    SnapshotRead tx(conn);
    auto policies = load_all_relay_policies(tx);
    tx.commit();
    return policies;
  });
}

}  // namespace marina::store
