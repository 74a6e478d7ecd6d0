#pragma once
// A relay's policy as its owner manages it: the configuration (every key of
// the libs/relay catalogue) and the auth rules, each write one transaction
// with the relay's write checks (relay_guard.hpp), its plan's caps, an
// activity row (config_updated, rule_added, rule_removed) and, after commit,
// its fact on marina:platform (relay.config_changed, relay.auth_rules_changed),
// which the relay services apply live.
//
// Problems (http::Error), beyond relay_guard.hpp's:
//   400 config-invalid   a value of the wrong type or out of range, or an unknown key
//                        (detail names the key, the value and the range)
//   400 rule-invalid     a rule body that is not {rule_type, pattern_type, pattern_value}
//                        or a pattern its type does not admit
//   403 plan-ceiling     a value above the relay's plan's cap, or a whitelist rule
//                        beyond the plan's max_whitelist_rules (detail names cap and plan)
//   404 rule-not-found   no such rule on this relay
//   409 rule-exists      the relay has this rule already
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "facts.hpp"
#include "hosting.hpp"
#include "marina/metrics/counter.hpp"
#include "marina/relay/relay_config.hpp"
#include "policy_repository.hpp"

namespace marina::pg {
class Pool;
}

namespace marina::tenants {

// A rule as POST /tenant/relays/:id/rules gives it (checked, canonical).
struct NewRule {
  std::string rule_type;
  std::string pattern_type;
  std::string pattern_value;
  std::string reason;  // NIP-86's optional reason; the HTTP route has none
};

// The body of POST .../rules: {rule_type, pattern_type, pattern_value}; kind
// patterns may be JSON integers. Throws http::Error 400 rule-invalid.
NewRule read_new_rule(const nlohmann::json& body);

class Policy {
 public:
  Policy(pg::Pool& db, FactSink& facts, metrics::Registry& registry);

  // Every key with its value in force (stored, else default; capped by the plan).
  boost::asio::awaitable<std::vector<relay::ConfigEntry>> config(std::string id, Scope scope);
  // `body` is a JSON object of key -> value (null: back to the default); all
  // keys are checked before any is written. Answers the configuration after.
  boost::asio::awaitable<std::vector<relay::ConfigEntry>> update_config(Actor actor, std::string id,
                                                                        nlohmann::json body);

  boost::asio::awaitable<std::vector<repo::Rule>> rules(std::string id, Scope scope);
  boost::asio::awaitable<repo::Rule> add_rule(Actor actor, std::string id, NewRule rule);
  boost::asio::awaitable<void> remove_rule(Actor actor, std::string id, std::string rule_id);
  // Removes every rule (seed 004's clear_all_auth_rules): one activity row
  // `rules_cleared` {"removed": n} and one fact; returns n.
  boost::asio::awaitable<std::int64_t> clear_rules(Actor actor, std::string id);

 private:
  pg::Pool& db_;
  FactSink& facts_;
  metrics::CounterFamily& changes_;
};

}  // namespace marina::tenants
