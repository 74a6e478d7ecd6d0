// blacklist, whitelist, delete_auth_rule and auth_query (seed 004, "Auth
// Rules Management"), through Policy like POST/DELETE .../rules: the same
// canonical patterns, plan cap, activity rows and facts.
#include "admin_commands.hpp"
#include "policy.hpp"

namespace marina::tenants::admin {

namespace {

// ["blacklist", "pubkey", "<hex>"] -> the rule as the HTTP route checks it.
NewRule rule_of(const Command& command, std::size_t first, const std::string& rule_type) {
  const std::string pattern_type = command.text_param(first, "the pattern type (pubkey, kind or ip)");
  const std::string value = command.text_param(first + 1, "the pattern value");
  return read_new_rule({{"rule_type", rule_type}, {"pattern_type", pattern_type}, {"pattern_value", value}});
}

// The seed's rule: {rule_type, pattern_type, pattern_value, action}.
nlohmann::json rule_row(const repo::Rule& r) {
  return {{"rule_type", r.rule_type}, {"pattern_type", r.pattern_type}, {"pattern_value", r.pattern_value},
          {"action", r.action}};
}

}  // namespace

boost::asio::awaitable<nlohmann::json> add_rule(CommandEnv& env, const CommandCall& call) {
  const std::string& type = call.command.name;  // "blacklist" or "whitelist"
  if (call.command.param_count() != 2)
    throw CommandError(ErrorCode::validation_failed, type + " takes a pattern type and a value");
  const NewRule rule = rule_of(call.command, 1, type);
  (void)co_await env.policy.add_rule(call.actor, call.relay.relay.id, rule);
  const std::string message = (type == "blacklist" ? "Blacklist" : "Whitelist") + std::string(" rule added successfully");
  co_return success_response("auth_add", message, call.now_s);
}

boost::asio::awaitable<nlohmann::json> delete_rule(CommandEnv& env, const CommandCall& call) {
  if (call.command.param_count() != 3)
    throw CommandError(ErrorCode::validation_failed, "delete_auth_rule takes a rule type, a pattern type and a value");
  const NewRule rule = rule_of(call.command, 2, call.command.text_param(1, "the rule type (whitelist or blacklist)"));
  const auto rules = co_await env.policy.rules(call.relay.relay.id, std::nullopt);
  for (const auto& r : rules) {
    if (r.rule_type != rule.rule_type || r.pattern_type != rule.pattern_type || r.pattern_value != rule.pattern_value)
      continue;
    co_await env.policy.remove_rule(call.actor, call.relay.relay.id, std::to_string(r.id));
    co_return success_response("auth_delete", "Auth rule deleted successfully", call.now_s);
  }
  throw CommandError(ErrorCode::validation_failed, "this relay has no rule " + rule.rule_type + " " +
                                                       rule.pattern_type + " " + rule.pattern_value);
}

boost::asio::awaitable<nlohmann::json> auth_query(CommandEnv& env, const CommandCall& call) {
  const std::string which = call.command.text_param(1, "\"all\", a rule type or \"pattern\"");
  std::string query_type;
  std::function<bool(const repo::Rule&)> wanted;
  if (which == "all") {
    query_type = "auth_rules_all";
    wanted = [](const repo::Rule&) { return true; };
  } else if (which == "whitelist" || which == "blacklist") {
    query_type = "auth_rules_" + which;
    wanted = [which](const repo::Rule& r) { return r.rule_type == which; };
  } else if (which == "pattern") {
    const std::string value = call.command.text_param(2, "the pattern value");
    query_type = "auth_rules_pattern";
    wanted = [value](const repo::Rule& r) { return r.pattern_value == value; };
  } else {
    throw CommandError(ErrorCode::validation_failed,
                       "auth_query takes all, whitelist, blacklist or pattern <value>, not '" + which.substr(0, 100) + "'");
  }
  nlohmann::json data = nlohmann::json::array();
  for (const auto& r : co_await env.policy.rules(call.relay.relay.id, std::nullopt)) {
    if (wanted(r)) data.push_back(rule_row(r));
  }
  co_return query_response(query_type, std::move(data), call.now_s);
}

}  // namespace marina::tenants::admin
