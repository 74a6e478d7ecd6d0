#include "policy_views.hpp"

namespace marina::tenants {

nlohmann::json config_entry_json(const relay::ConfigEntry& entry) {
  nlohmann::json out = {{"key", entry.key->name},
                        {"value", entry.value},
                        {"data_type", relay::to_string(entry.key->type)},
                        {"category", entry.key->category},
                        {"description", entry.key->description}};
  if (!entry.range.empty()) out["range"] = entry.range;
  return out;
}

nlohmann::json config_json(const std::vector<relay::ConfigEntry>& entries) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& entry : entries) data.push_back(config_entry_json(entry));
  return {{"data", std::move(data)}};
}

nlohmann::json rule_json(const repo::Rule& r) {
  return {{"id", r.id},
          {"rule_type", r.rule_type},
          {"pattern_type", r.pattern_type},
          {"pattern_value", r.pattern_value},
          {"action", r.action},
          {"reason", r.reason},
          {"created_at", r.created_at}};
}

nlohmann::json rules_json(const std::vector<repo::Rule>& rules) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& r : rules) data.push_back(rule_json(r));
  return {{"data", std::move(data)}};
}

}  // namespace marina::tenants
