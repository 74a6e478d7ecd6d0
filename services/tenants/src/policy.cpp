#include "policy.hpp"

#include <algorithm>
#include <charconv>

#include "marina/http/error.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/pg/errors.hpp"
#include "marina/pg/pool.hpp"
#include "marina/relay/auth_rules.hpp"
#include "marina/relay/config_value.hpp"
#include "marina/store/relay_policy.hpp"
#include "marina/streams/contracts.hpp"
#include "policy_views.hpp"
#include "relay_guard.hpp"
#include "repository.hpp"

namespace marina::tenants {
namespace {

http::Error rule_invalid(const std::string& detail) {
  return http::Error(400, "rule-invalid", "Invalid rule", detail);
}

http::Error rule_not_found(const std::string& rule_id) {
  return http::Error(404, "rule-not-found", "Rule not found", "This relay has no rule " + rule_id + ".");
}

relay::RelayIdentity identity_of(const Relay& r) { return {r.subdomain, r.name, r.description}; }

// Writes go to the caller's own relays (a relay admin's: its owner's); a platform admin's to any.
Scope write_scope(const Actor& actor) {
  if (actor.admin) return Scope{};
  return Scope{actor.for_owner.empty() ? actor.pubkey : actor.for_owner};
}

std::string required_text(const nlohmann::json& body, const char* field) {
  if (!body.contains(field)) throw rule_invalid(std::string(field) + " is required.");
  if (!body[field].is_string()) throw rule_invalid(std::string(field) + " must be a string.");
  return body[field].get<std::string>();
}

std::string rule_fact(const char* change, const repo::Rule& r) {
  return nlohmann::json{{"change", change}, {"rule", rule_json(r)}}.dump();
}

}  // namespace

NewRule read_new_rule(const nlohmann::json& body) {
  if (!body.is_object()) throw rule_invalid("The body must be a JSON object.");
  for (const auto& [key, _] : body.items()) {
    if (key != "rule_type" && key != "pattern_type" && key != "pattern_value")
      throw rule_invalid("Unknown field '" + key + "'.");
  }
  NewRule rule;
  rule.rule_type = required_text(body, "rule_type");
  if (!relay::parse_rule_type(rule.rule_type)) throw rule_invalid("rule_type is whitelist or blacklist.");
  rule.pattern_type = required_text(body, "pattern_type");
  const auto pattern_type = relay::parse_pattern_type(rule.pattern_type);
  if (!pattern_type) throw rule_invalid("pattern_type is pubkey, kind or ip.");
  if (!body.contains("pattern_value")) throw rule_invalid("pattern_value is required.");
  const auto& value = body["pattern_value"];
  std::string text;
  if (value.is_string()) text = value.get<std::string>();
  else if (*pattern_type == relay::PatternType::kind && value.is_number_integer()) text = value.dump();
  else throw rule_invalid("pattern_value must be a string.");
  auto canonical = relay::canonical_pattern(*pattern_type, text);
  if (!canonical)
    throw rule_invalid("pattern_value '" + text.substr(0, 100) + "' is not " +
                       std::string(relay::pattern_expectation(*pattern_type)) + ".");
  rule.pattern_value = *canonical;
  return rule;
}

Policy::Policy(pg::Pool& db, FactSink& facts, metrics::Registry& registry)
    : db_(db),
      facts_(facts),
      changes_(registry.counter("marina_tenants_relay_changes_total", "Writes to existing relays, by activity action.",
                                {"action"})) {}

boost::asio::awaitable<std::vector<relay::ConfigEntry>> Policy::config(std::string id, Scope scope) {
  co_return co_await db_.transaction([&](pqxx::work& tx) {
    auto relay = repo::find_relay(tx, id, scope);
    if (!relay) throw relay_not_found(id);
    const auto plan = store::load_plan(tx, relay->plan);
    return relay::config_entries(store::load_config_rows(tx, relay->id), identity_of(*relay),
                                 plan ? &*plan : nullptr);
  });
}

boost::asio::awaitable<std::vector<relay::ConfigEntry>> Policy::update_config(Actor actor, std::string id,
                                                                              nlohmann::json body) {
  std::map<std::string, std::optional<std::string>> update;
  try {
    update = relay::validate_config_update(body);
  } catch (const relay::ConfigInvalid& e) {
    throw http::Error(400, "config-invalid", "Invalid configuration", std::string(e.what()) + ".");
  }
  struct Outcome {
    Relay relay;
    std::vector<relay::ConfigEntry> after;
    nlohmann::json changed = nlohmann::json::object();
  };
  Outcome outcome = co_await db_.transaction([&](pqxx::work& tx) {
    Outcome out;
    out.relay = lock_relay_for_write(tx, actor, id, write_scope(actor));
    const auto plan = store::load_plan(tx, out.relay.plan);
    const relay::PlanLimits* limits = plan ? &*plan : nullptr;
    if (limits) {
      for (const auto& [key, value] : update) {
        if (!value) continue;
        if (auto refusal = relay::check_ceiling(*limits, key, *value))
          throw http::Error(403, "plan-ceiling", "Plan ceiling", refusal->message() + ".");
      }
    }
    const relay::ConfigRows before_rows = store::load_config_rows(tx, out.relay.id);
    relay::ConfigRows after_rows = before_rows;
    std::vector<std::string> written;
    for (const auto& [key, value] : update) {
      const auto stored = before_rows.find(key);
      if (value) {
        if (stored != before_rows.end() && stored->second == *value) continue;
        repo::set_config(tx, out.relay.id, key, *value);
        after_rows[key] = *value;
      } else {
        if (stored == before_rows.end()) continue;
        repo::reset_config(tx, out.relay.id, key);
        after_rows.erase(key);
      }
      written.push_back(key);
    }
    const auto identity = identity_of(out.relay);
    const auto before = relay::config_entries(before_rows, identity, limits);
    out.after = relay::config_entries(after_rows, identity, limits);
    for (std::size_t i = 0; i < out.after.size(); ++i) {
      const std::string key(out.after[i].key->name);
      if (std::find(written.begin(), written.end(), key) == written.end()) continue;
      out.changed[key] = {{"from", before[i].value}, {"to", out.after[i].value}};
      if (out.after[i].is_default) out.changed[key]["default"] = true;
    }
    if (!written.empty()) repo::record_activity(tx, out.relay, actor, "config_updated", out.changed.dump());
    return out;
  });
  if (!outcome.changed.empty()) {
    changes_.with({"config_updated"}).inc();
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& [key, _] : outcome.changed.items()) keys.push_back(key);
    std::string data = nlohmann::json{{"keys", keys}}.dump();
    co_await facts_.publish(streams::kFactRelayConfigChanged, outcome.relay.id, outcome.relay.tenant_pubkey,
                            std::move(data));
  }
  co_return outcome.after;
}

boost::asio::awaitable<std::vector<repo::Rule>> Policy::rules(std::string id, Scope scope) {
  co_return co_await db_.transaction([&](pqxx::work& tx) {
    auto relay = repo::find_relay(tx, id, scope);
    if (!relay) throw relay_not_found(id);
    return repo::list_rules(tx, relay->id);
  });
}

boost::asio::awaitable<repo::Rule> Policy::add_rule(Actor actor, std::string id, NewRule rule) {
  std::pair<Relay, repo::Rule> added;
  try {
    added = co_await db_.transaction([&](pqxx::work& tx) {
      Relay relay = lock_relay_for_write(tx, actor, id, write_scope(actor));
      if (rule.rule_type == "whitelist") {
        const auto plan = store::load_plan(tx, relay.plan);
        if (plan && repo::count_rules(tx, relay.id, "whitelist") >= plan->max_whitelist_rules)
          throw http::Error(403, "plan-ceiling", "Plan ceiling",
                            "Plan '" + plan->id + "' allows " + std::to_string(plan->max_whitelist_rules) +
                                " whitelist rules per relay.");
      }
      repo::Rule row =
          repo::insert_rule(tx, relay.id, rule.rule_type, rule.pattern_type, rule.pattern_value, rule.reason);
      repo::record_activity(tx, relay, actor, "rule_added", rule_json(row).dump());
      return std::pair{relay, row};
    });
  } catch (const pg::UniqueViolation& e) {
    if (e.constraint() != "relay_auth_rules_unique") throw;
    throw http::Error(409, "rule-exists", "Rule exists",
                      "This relay already has " + rule.rule_type + " " + rule.pattern_type + " " +
                          rule.pattern_value + ".");
  }
  const auto& [relay, row] = added;
  changes_.with({"rule_added"}).inc();
  std::string data = rule_fact("added", row);
  co_await facts_.publish(streams::kFactRelayAuthRulesChanged, relay.id, relay.tenant_pubkey, std::move(data));
  co_return row;
}

boost::asio::awaitable<void> Policy::remove_rule(Actor actor, std::string id, std::string rule_id) {
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(rule_id.data(), rule_id.data() + rule_id.size(), number);
  const bool numeric = !rule_id.empty() && ec == std::errc() && end == rule_id.data() + rule_id.size() && number > 0;
  auto removed = co_await db_.transaction([&](pqxx::work& tx) {
    Relay relay = lock_relay_for_write(tx, actor, id, write_scope(actor));
    auto row = numeric ? repo::delete_rule(tx, relay.id, number) : std::nullopt;
    if (!row) throw rule_not_found(rule_id);
    repo::record_activity(tx, relay, actor, "rule_removed", rule_json(*row).dump());
    return std::pair{relay, *row};
  });
  const auto& [relay, row] = removed;
  changes_.with({"rule_removed"}).inc();
  std::string data = rule_fact("removed", row);
  co_await facts_.publish(streams::kFactRelayAuthRulesChanged, relay.id, relay.tenant_pubkey, std::move(data));
}

boost::asio::awaitable<std::int64_t> Policy::clear_rules(Actor actor, std::string id) {
  auto cleared = co_await db_.transaction([&](pqxx::work& tx) {
    Relay relay = lock_relay_for_write(tx, actor, id, write_scope(actor));
    const std::int64_t removed = repo::delete_all_rules(tx, relay.id);
    if (removed > 0) repo::record_activity(tx, relay, actor, "rules_cleared", nlohmann::json{{"removed", removed}}.dump());
    return std::pair{relay, removed};
  });
  const auto& [relay, removed] = cleared;
  if (removed > 0) {
    changes_.with({"rules_cleared"}).inc();
    std::string data = nlohmann::json{{"change", "cleared"}, {"removed", removed}}.dump();
    co_await facts_.publish(streams::kFactRelayAuthRulesChanged, relay.id, relay.tenant_pubkey, std::move(data));
  }
  co_return removed;
}

}  // namespace marina::tenants
