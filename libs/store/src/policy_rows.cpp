#include "policy_rows.hpp"

#include <algorithm>

namespace marina::store::detail {

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

relay::AuthRule rule_from(const pqxx::row& row) {
  relay::AuthRule rule;
  rule.id = row[1].as<std::int64_t>();
  // The table's CHECKs admit only these names.
  rule.rule_type = relay::parse_rule_type(row[2].c_str()).value_or(relay::RuleType::blacklist);
  rule.pattern_type = relay::parse_pattern_type(row[3].c_str()).value_or(relay::PatternType::pubkey);
  rule.pattern_value = row[4].c_str();
  return rule;
}

}  // namespace marina::store::detail
