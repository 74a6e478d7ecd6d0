// A relay's policy through the tenants rules against a real PostgreSQL: the
// configuration document, typed and all-or-nothing updates, plan ceilings,
// resets, auth rules (canonical, unique, capped by the plan), tenant scoping
// and suspension, and the activity rows and facts every change leaves.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "marina/http/error.hpp"
#include "marina/relay/config_keys.hpp"
#include "tenants_fixture.hpp"

namespace marina::tenants {
namespace {

using nlohmann::json;

class PolicyTest : public TenantsPgTest {
 protected:
  std::vector<relay::ConfigEntry> config(const std::string& id, Scope scope) {
    return run([&]() { return policy_->config(id, scope); });
  }
  std::vector<relay::ConfigEntry> update(const std::string& owner, const std::string& id, json body) {
    return run([&]() { return policy_->update_config(Actor{owner, false}, id, body); });
  }
  repo::Rule add(const std::string& owner, const std::string& id, json body) {
    return run([&]() { return policy_->add_rule(Actor{owner, false}, id, read_new_rule(body)); });
  }
  std::string stored(const std::string& id) {
    auto rows = query("SELECT coalesce(string_agg(key || '=' || value, ',' ORDER BY key), '') FROM relay_config "
                      "WHERE relay_id = '" + id + "'");
    return rows[0][0].c_str();
  }
  std::vector<std::string> actions(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& row : query("SELECT action FROM relay_activity WHERE relay_id = '" + id + "' ORDER BY id"))
      out.emplace_back(row[0].c_str());
    return out;
  }
  static std::string value_of(const std::vector<relay::ConfigEntry>& entries, std::string_view key) {
    for (const auto& e : entries)
      if (e.key->name == key) return e.value;
    return "<missing>";
  }
  static std::string message_of(const std::function<void()>& f) {
    try {
      f();
      return "ok";
    } catch (const http::Error& e) {
      return e.code() + ": " + e.detail();
    }
  }
};

TEST_F(PolicyTest, ANewRelayShowsEveryKeyAtItsDefault) {
  const auto alice = new_pubkey();
  const Relay r = create(alice, unique("conf"));
  const auto entries = config(r.id, alice);
  ASSERT_EQ(entries.size(), relay::config_catalogue().size());
  EXPECT_EQ(value_of(entries, "relay_name"), r.subdomain) << "nameless: its subdomain";
  EXPECT_EQ(value_of(entries, "auth_enabled"), "false");
  EXPECT_EQ(value_of(entries, "max_connections"), "100") << "free caps 1000";
  for (const auto& e : entries) EXPECT_TRUE(e.is_default) << e.key->name;
}

TEST_F(PolicyTest, AnUpdateWritesEveryKeyRecordsItAndPublishesOneFact) {
  const auto alice = new_pubkey();
  const Relay r = create(alice, unique("upd"));
  const auto after =
      update(alice, r.id, json{{"relay_name", "My relay"}, {"max_content_length", 100}, {"auth_enabled", true}});
  EXPECT_EQ(value_of(after, "relay_name"), "My relay");
  EXPECT_EQ(value_of(after, "max_content_length"), "100");
  EXPECT_EQ(value_of(after, "auth_enabled"), "true");
  EXPECT_EQ(stored(r.id), "auth_enabled=true,max_content_length=100,relay_name=My relay");
  EXPECT_EQ(actions(r.id), (std::vector<std::string>{"created", "config_updated"}));
  const auto details = json::parse(
      query("SELECT details::text FROM relay_activity WHERE relay_id = '" + r.id + "' AND action = 'config_updated'")[0][0]
          .c_str());
  EXPECT_EQ(details["max_content_length"]["to"], "100");
  EXPECT_EQ(details["relay_name"]["from"], r.subdomain);
  EXPECT_EQ(details.size(), 3u);
  const auto facts = sink_.facts_for(r.id);
  ASSERT_EQ(facts.back().type, "relay.config_changed");
  EXPECT_EQ(json::parse(facts.back().data)["keys"],
            (json::array({"auth_enabled", "max_content_length", "relay_name"})));

  update(alice, r.id, json{{"relay_name", "My relay"}});
  EXPECT_EQ(actions(r.id).size(), 2u) << "setting what is stored changes nothing and records nothing";
  EXPECT_EQ(sink_.types_for(r.id).size(), 2u);

  const auto reset = update(alice, r.id, json{{"relay_name", nullptr}, {"max_content_length", "200"}});
  EXPECT_EQ(value_of(reset, "relay_name"), r.subdomain) << "null: back to the default";
  EXPECT_EQ(stored(r.id), "auth_enabled=true,max_content_length=200");
}

TEST_F(PolicyTest, OneBadKeyRefusesTheWholeUpdate) {
  const auto alice = new_pubkey();
  const Relay r = create(alice, unique("atomic"));
  EXPECT_EQ(message_of([&] { update(alice, r.id, json{{"relay_name", "fine"}, {"max_event_tags", 5}}); }),
            "config-invalid: max_event_tags: 5 is not an integer in 10-10000.");
  EXPECT_EQ(message_of([&] { update(alice, r.id, json{{"relay_name", "fine"}, {"auth_enabled", "yes"}}); }),
            "config-invalid: auth_enabled: \"yes\" is not true or false.");
  EXPECT_EQ(message_of([&] { update(alice, r.id, json{{"relay_name", "fine"}, {"relay_port", 1}}); }),
            "config-invalid: unknown key 'relay_port' (not in the configuration catalogue).");
  EXPECT_EQ(message_of([&] { update(alice, r.id, json{{"relay_name", "fine"}, {"max_connections", 500}}); }),
            "plan-ceiling: max_connections: 500 is above the cap of plan 'free' (100).");
  EXPECT_EQ(stored(r.id), "") << "nothing was written";
  EXPECT_EQ(actions(r.id), std::vector<std::string>{"created"});
  EXPECT_EQ(sink_.types_for(r.id), std::vector<std::string>{"relay.created"});
}

TEST_F(PolicyTest, ThePlanDecidesTheCeiling) {
  const auto alice = new_pubkey();
  const Relay r = create(alice, unique("pro"), "pro");
  EXPECT_EQ(value_of(update(alice, r.id, json{{"max_connections", 1000}, {"max_total_subscriptions", 10000}}),
                     "max_connections"),
            "1000");
  EXPECT_EQ(problem_code([&] { update(alice, r.id, json{{"max_total_subscriptions", 10001}}); }), "plan-ceiling");
  std::map<std::string, std::string> ranges;
  for (const auto& e : config(r.id, alice)) ranges[std::string(e.key->name)] = e.range;
  EXPECT_EQ(ranges["max_connections"], "1-1000");
  EXPECT_EQ(ranges["max_total_subscriptions"], "100-10000");
}

TEST_F(PolicyTest, AnotherTenantsRelayIsNotFoundAndAdminsReadAny) {
  const auto alice = new_pubkey(), bob = new_pubkey();
  const Relay r = create(alice, unique("iso"));
  EXPECT_EQ(problem_code([&] { config(r.id, bob); }), "relay-not-found");
  EXPECT_EQ(problem_code([&] { update(bob, r.id, json{{"auth_enabled", true}}); }), "relay-not-found");
  EXPECT_EQ(problem_code([&] { run([&]() { return policy_->rules(r.id, bob); }); }), "relay-not-found");
  EXPECT_EQ(problem_code([&] { add(bob, r.id, json{{"rule_type", "blacklist"}, {"pattern_type", "kind"}, {"pattern_value", "4"}}); }),
            "relay-not-found");
  EXPECT_EQ(problem_code([&] { config("not-a-uuid", alice); }), "relay-not-found");
  EXPECT_EQ(config(r.id, std::nullopt).size(), relay::config_catalogue().size()) << "admin scope";
}

TEST_F(PolicyTest, ASuspendedTenantReadsButCannotChangePolicy) {
  const auto alice = new_pubkey(), admin = new_pubkey();
  const Relay r = create(alice, unique("susp"));
  run([&]() { return hosting_->set_tenant_status(Actor{admin, true}, alice, TenantStatus{"suspended", ""}); });
  EXPECT_EQ(config(r.id, alice).size(), relay::config_catalogue().size());
  EXPECT_EQ(problem_code([&] { update(alice, r.id, json{{"auth_enabled", true}}); }), "tenant-suspended");
  EXPECT_EQ(problem_code([&] { add(alice, r.id, json{{"rule_type", "blacklist"}, {"pattern_type", "kind"}, {"pattern_value", "4"}}); }),
            "tenant-suspended");
}

TEST_F(PolicyTest, RulesAreCanonicalUniqueAndRemovable) {
  const auto alice = new_pubkey();
  const Relay r = create(alice, unique("rules"));
  const repo::Rule ip = add(alice, r.id, json{{"rule_type", "blacklist"}, {"pattern_type", "ip"}, {"pattern_value", "10.1.2.3/8"}});
  EXPECT_EQ(ip.pattern_value, "10.0.0.0/8");
  EXPECT_EQ(ip.action, "deny");
  EXPECT_FALSE(ip.created_at.empty());
  const repo::Rule kind = add(alice, r.id, json{{"rule_type", "whitelist"}, {"pattern_type", "kind"}, {"pattern_value", 1}});
  EXPECT_EQ(kind.pattern_value, "1");
  EXPECT_EQ(kind.action, "allow");
  EXPECT_EQ(problem_code([&] { add(alice, r.id, json{{"rule_type", "blacklist"}, {"pattern_type", "ip"}, {"pattern_value", "10.0.0.0/8"}}); }),
            "rule-exists");
  auto rules = run([&]() { return policy_->rules(r.id, alice); });
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id, ip.id);
  run([&]() { return policy_->remove_rule(Actor{alice, false}, r.id, std::to_string(ip.id)); });
  EXPECT_EQ(problem_code([&] { run([&]() { return policy_->remove_rule(Actor{alice, false}, r.id, std::to_string(ip.id)); }); }),
            "rule-not-found");
  EXPECT_EQ(problem_code([&] { run([&]() { return policy_->remove_rule(Actor{alice, false}, r.id, "x1"); }); }),
            "rule-not-found");
  EXPECT_EQ(run([&]() { return policy_->rules(r.id, alice); }).size(), 1u);
  EXPECT_EQ(actions(r.id), (std::vector<std::string>{"created", "rule_added", "rule_added", "rule_removed"}));
  const auto facts = sink_.facts_for(r.id);
  ASSERT_EQ(facts.size(), 4u);
  EXPECT_EQ(facts[3].type, "relay.auth_rules_changed");
  const auto last = json::parse(facts[3].data);
  EXPECT_EQ(last["change"], "removed");
  EXPECT_EQ(last["rule"]["pattern_value"], "10.0.0.0/8");
}

TEST_F(PolicyTest, AnotherRelaysRuleCannotBeRemovedThroughThisOne) {
  const auto alice = new_pubkey();
  set_max_relays("free", 5);
  const Relay a = create(alice, unique("ra")), b = create(alice, unique("rb"));
  const repo::Rule rule = add(alice, a.id, json{{"rule_type", "blacklist"}, {"pattern_type", "kind"}, {"pattern_value", "4"}});
  EXPECT_EQ(problem_code([&] { run([&]() { return policy_->remove_rule(Actor{alice, false}, b.id, std::to_string(rule.id)); }); }),
            "rule-not-found");
}

TEST_F(PolicyTest, ThePlanCapsTheWhitelist) {
  const auto alice = new_pubkey();
  query("INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions, "
        "max_events_per_minute, max_whitelist_rules) VALUES ('tiny', 'Tiny', 5, 10, 10, 100, 10, 1) ON CONFLICT DO NOTHING");
  const Relay r = create(alice, unique("wl"), "tiny");
  add(alice, r.id, json{{"rule_type", "whitelist"}, {"pattern_type", "pubkey"}, {"pattern_value", new_pubkey()}});
  EXPECT_EQ(message_of([&] {
              add(alice, r.id, json{{"rule_type", "whitelist"}, {"pattern_type", "kind"}, {"pattern_value", "1"}});
            }),
            "plan-ceiling: Plan 'tiny' allows 1 whitelist rules per relay.");
  add(alice, r.id, json{{"rule_type", "blacklist"}, {"pattern_type", "kind"}, {"pattern_value", "1"}});
  EXPECT_EQ(run([&]() { return policy_->rules(r.id, alice); }).size(), 2u) << "blacklist rules are not capped";
}

TEST(RuleBody, IsCheckedFieldByField) {
  auto code = [](json body) { return problem_code([&] { read_new_rule(body); }); };
  EXPECT_EQ(code(json::array()), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "pubkey"}}), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "greylist"}, {"pattern_type", "kind"}, {"pattern_value", "1"}}), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "email"}, {"pattern_value", "1"}}), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "pubkey"}, {"pattern_value", "ABC"}}), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "pubkey"}, {"pattern_value", 5}}), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "kind"}, {"pattern_value", 70000}}), "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "kind"}, {"pattern_value", "1"}, {"note", "x"}}),
            "rule-invalid");
  EXPECT_EQ(code(json{{"rule_type", "whitelist"}, {"pattern_type", "ip"}, {"pattern_value", "::1"}}), "ok");
}

}  // namespace
}  // namespace marina::tenants
