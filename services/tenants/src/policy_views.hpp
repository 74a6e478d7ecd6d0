#pragma once
// The JSON of a relay's policy, as seed 004's config_query and auth_query
// show it, inside {"data": [...]}.
#include <nlohmann/json.hpp>
#include <vector>

#include "marina/relay/relay_config.hpp"
#include "policy_repository.hpp"

namespace marina::tenants {

// {key, value, data_type, category, description, range?}: value as a string;
// range for integers (lowered to the plan's cap) and choices.
nlohmann::json config_entry_json(const relay::ConfigEntry& entry);
// {"data": [entry, ...]}
nlohmann::json config_json(const std::vector<relay::ConfigEntry>& entries);
// {id, rule_type, pattern_type, pattern_value, action, created_at}
nlohmann::json rule_json(const repo::Rule& rule);
// {"data": [rule, ...]}
nlohmann::json rules_json(const std::vector<repo::Rule>& rules);

}  // namespace marina::tenants
