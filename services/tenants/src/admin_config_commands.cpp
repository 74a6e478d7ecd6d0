// config_query and config_update (seed 004, "Configuration Management"),
// through Policy: the catalogue, validation, plan caps, activity rows and
// relay.config_changed facts are the HTTP routes' own.
#include <set>

#include "admin_commands.hpp"
#include "marina/relay/config_value.hpp"
#include "policy.hpp"
#include "policy_views.hpp"

namespace marina::tenants::admin {

namespace {

// The seed's entry: {key, value, data_type, category, description} (and the
// range when the key has one, as GET .../config shows it).
nlohmann::json entries_json(const std::vector<relay::ConfigEntry>& entries) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& e : entries) data.push_back(config_entry_json(e));
  return data;
}

// The update as a list of {key, value}: the seed sends data_type and
// category too, which the catalogue already knows (they are not checked
// against it: the key decides its type).
struct Change {
  std::string key;
  nlohmann::json value;
};

std::vector<Change> read_changes(const Command& command) {
  if (command.param_count() != 1 || !command.array[1].is_array() || command.array[1].empty())
    throw CommandError(ErrorCode::validation_failed,
                       "config_update takes one non-empty list of {\"key\": ..., \"value\": ...} objects");
  std::vector<Change> changes;
  std::set<std::string> seen;
  for (const auto& item : command.array[1]) {
    if (!item.is_object() || !item.contains("key") || !item["key"].is_string() || !item.contains("value"))
      throw CommandError(ErrorCode::validation_failed, "every config_update item needs a string key and a value");
    std::string key = item["key"].get<std::string>();
    if (!seen.insert(key).second)
      throw CommandError(ErrorCode::validation_failed, "key '" + key + "' is given twice");
    changes.push_back({std::move(key), item["value"]});
  }
  return changes;
}

// Per-key results of an update that was not applied: the key at fault
// "rejected" with why, the others "not_applied" (all or nothing).
nlohmann::json not_applied(const std::vector<Change>& changes, const std::string& bad_key, const std::string& why) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& c : changes) {
    nlohmann::json row = {{"key", c.key}, {"value", c.value}, {"status", c.key == bad_key ? "rejected" : "not_applied"}};
    if (c.key == bad_key) row["error"] = why;
    data.push_back(std::move(row));
  }
  return data;
}

}  // namespace

boost::asio::awaitable<nlohmann::json> config_query(CommandEnv& env, const CommandCall& call) {
  const std::string which = call.command.text_param(1, "\"all\" or a configuration key");
  auto entries = co_await env.policy.config(call.relay.relay.id, std::nullopt);
  if (which == "all") co_return query_response("config_all", entries_json(entries), call.now_s);
  for (const auto& e : entries) {
    if (e.key->name == which) co_return query_response("config_single", entries_json({e}), call.now_s);
  }
  throw CommandError(ErrorCode::validation_failed, "unknown configuration key '" + which.substr(0, 100) + "'");
}

boost::asio::awaitable<nlohmann::json> config_update(CommandEnv& env, const CommandCall& call) {
  const std::vector<Change> changes = read_changes(call.command);
  nlohmann::json body = nlohmann::json::object();
  for (const auto& c : changes) body[c.key] = c.value;
  // The same check Policy makes first, here to say which key was refused.
  try {
    (void)relay::validate_config_update(body);
  } catch (const relay::ConfigInvalid& e) {
    nlohmann::json response =
        error_response("config_update", ErrorCode::validation_failed, e.what(), call.now_s);
    response["data"] = not_applied(changes, e.key(), e.what());
    co_return response;
  }
  const auto after = co_await env.policy.update_config(call.actor, call.relay.relay.id, body);
  nlohmann::json data = nlohmann::json::array();
  for (const auto& c : changes) {
    for (const auto& e : after) {
      if (e.key->name != c.key) continue;
      data.push_back({{"key", c.key}, {"value", e.value}, {"status", "updated"}});
    }
  }
  nlohmann::json response = {{"query_type", "config_update"},
                             {"status", "success"},
                             {"total_results", data.size()},
                             {"timestamp", call.now_s},
                             {"data", std::move(data)}};
  co_return response;
}

}  // namespace marina::tenants::admin
