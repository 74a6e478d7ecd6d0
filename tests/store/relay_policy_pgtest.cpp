// A relay's policy as the relay services' RelayDirectory reads it with the
// relay: its configuration in force (rows over defaults, capped by its plan),
// its auth rules, its plan and its owner's standing; and the schema's own
// guards on rules and plans.
#include <gtest/gtest.h>

#include "marina/store/relay_directory.hpp"
#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using marina::testing::run_async;

class RelayPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override { exec("INSERT INTO tenants (pubkey) VALUES ('" + owner_ + "') ON CONFLICT DO NOTHING"); }
  void exec(const std::string& sql) {
    pqxx::connection conn(url_);
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
  }
  std::string create_relay(const std::string& subdomain, const std::string& plan, const std::string& name) {
    pqxx::connection conn(url_);
    pqxx::work tx(conn);
    const auto id = tx.exec_params1("INSERT INTO relays (tenant_pubkey, subdomain, name, plan, relay_pubkey, "
                                    "relay_secret_enc) VALUES ($1, $2, $3, $4, $5, '\\x00') RETURNING id::text",
                                    owner_, subdomain, name, plan, std::string(64, 'b'))[0]
                        .as<std::string>();
    tx.commit();
    return id;
  }
  void set(const std::string& relay, const std::string& key, const std::string& value) {
    exec("INSERT INTO relay_config (relay_id, key, value) VALUES ('" + relay + "', '" + key + "', '" + value + "')");
  }
  void rule(const std::string& relay, const std::string& type, const std::string& pattern_type,
            const std::string& value) {
    exec("INSERT INTO relay_auth_rules (relay_id, rule_type, pattern_type, pattern_value) VALUES ('" + relay +
         "', '" + type + "', '" + pattern_type + "', '" + value + "')");
  }
  // What a relay service holds after re-reading `id` (nullptr: no such relay).
  std::shared_ptr<const Relay> load(const std::string& id) {
    RelayDirectory directory(pool_);
    return run_async([&]() { return directory.refresh(id); });
  }

  std::string url_ = fresh_migrated_database();
  pg::Pool pool_{pool_options(url_)};
  std::string owner_ = std::string(64, 'a');
};

TEST_F(RelayPolicyTest, ARelayWithoutRowsHasEveryDefaultAndItsPlan) {
  const std::string id = create_relay("plain", "free", "");
  auto relay = load(id);
  ASSERT_NE(relay, nullptr);
  EXPECT_EQ(relay->id, id);
  EXPECT_EQ(relay->config->relay_name, "plain") << "a nameless relay is named by its subdomain";
  EXPECT_FALSE(relay->config->auth_enabled);
  EXPECT_EQ(relay->config->max_connections, 100) << "the default 1000 under the free plan's cap";
  EXPECT_EQ(relay->plan_limits->id, "free");
  EXPECT_EQ(relay->plan_limits->name, "Free");
  EXPECT_EQ(relay->plan_limits->max_relays, 1);
  EXPECT_EQ(relay->plan_limits->max_stored_events, 100000);
  EXPECT_EQ(relay->plan_limits->max_events_per_minute, 600);
  EXPECT_EQ(relay->plan_limits->max_whitelist_rules, 100);
  EXPECT_TRUE(relay->plan_limits->features.empty());
  EXPECT_TRUE(relay->rules->empty());
}

TEST_F(RelayPolicyTest, RowsRulesAndPlanMakeTheRelaysPolicy) {
  const std::string id = create_relay("tuned", "pro", "Tuned");
  set(id, "auth_enabled", "true");
  set(id, "max_connections", "5000");
  set(id, "pow_mode", "required");
  set(id, "relay_port", "80");
  const std::string bob(64, 'b');
  rule(id, "blacklist", "pubkey", bob);
  rule(id, "whitelist", "kind", "1");
  rule(id, "blacklist", "ip", "10.0.0.0/8");
  exec("UPDATE plans SET features = '{nip42,fast}' WHERE id = 'pro'");
  auto relay = load(id);
  ASSERT_NE(relay, nullptr);
  EXPECT_EQ(relay->config->relay_name, "Tuned");
  EXPECT_TRUE(relay->config->auth_enabled);
  EXPECT_EQ(relay->config->max_connections, 1000) << "the pro plan caps 5000 at 1000";
  EXPECT_EQ(relay->config->pow_mode, relay::PowMode::required);
  EXPECT_EQ(relay->rules->all().size(), 3u);
  EXPECT_TRUE(relay->rules->pubkey_blacklisted(bob));
  EXPECT_TRUE(relay->rules->kind_whitelisted(1));
  EXPECT_TRUE(relay->rules->ip_blacklisted("10.9.8.7"));
  EXPECT_EQ(relay->plan_limits->features, (std::vector<std::string>{"nip42", "fast"}));
}

TEST_F(RelayPolicyTest, AllPoliciesAtOnceMatchOneByOne) {
  const std::string a = create_relay("all-a", "free", "A");
  const std::string b = create_relay("all-b", "business", "B");
  set(a, "relay_name", "Alpha");
  rule(b, "blacklist", "kind", "4");
  RelayDirectory directory(pool_);
  run_async([&]() { return directory.load_all(); });
  auto find = [&](const std::string& id) {
    auto relay = run_async([&]() { return directory.by_id(id); });
    if (!relay) throw std::runtime_error("missing " + id);
    return *relay;
  };
  EXPECT_EQ(find(a).config->relay_name, "Alpha");
  EXPECT_TRUE(find(a).rules->empty());
  EXPECT_EQ(find(b).config->relay_name, "B");
  EXPECT_TRUE(find(b).rules->kind_blacklisted(4));
  EXPECT_EQ(find(b).plan_limits->id, "business");
  EXPECT_EQ(find(b).config->max_connections, 1000) << "business caps at 10000: the default holds";
}

TEST_F(RelayPolicyTest, UnknownOrMalformedIdsHaveNoPolicy) {
  EXPECT_EQ(load("00000000-0000-0000-0000-000000000000"), nullptr);
  EXPECT_EQ(load("not-a-uuid"), nullptr);
}

TEST_F(RelayPolicyTest, ASuspendedOwnerIsCarriedWithTheRelayAndItsOwnStatusKept) {
  const std::string id = create_relay("owned", "free", "");
  EXPECT_FALSE(load(id)->tenant_suspended);
  exec("UPDATE tenants SET status = 'suspended', status_reason = 'abuse report 17' WHERE pubkey = '" + owner_ + "'");
  auto relay = load(id);
  EXPECT_TRUE(relay->tenant_suspended);
  EXPECT_EQ(relay->tenant_status_reason, "abuse report 17");
  EXPECT_EQ(relay->status, RelayStatus::active) << "the relay's own status is left as it was";
}

TEST_F(RelayPolicyTest, TheSchemaKeepsRulesCanonicalUniqueAndPlansReal) {
  const std::string id = create_relay("guarded", "free", "");
  rule(id, "whitelist", "pubkey", std::string(64, 'c'));
  EXPECT_THROW(rule(id, "whitelist", "pubkey", std::string(64, 'c')), pqxx::unique_violation);
  EXPECT_THROW(rule(id, "whitelist", "pubkey", std::string(64, 'C')), pqxx::check_violation);
  EXPECT_THROW(rule(id, "whitelist", "kind", "65536"), pqxx::check_violation);
  EXPECT_THROW(rule(id, "whitelist", "kind", "007"), pqxx::check_violation);
  EXPECT_THROW(rule(id, "greylist", "kind", "1"), pqxx::check_violation);
  EXPECT_THROW(rule(id, "blacklist", "ip", "not-an-ip"), pqxx::sql_error);
  rule(id, "blacklist", "ip", "2001:db8::/32");
  pqxx::connection conn(url_);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec1("SELECT string_agg(action, ',' ORDER BY id) FROM relay_auth_rules WHERE relay_id = '" + id + "'")[0]
                .as<std::string>(),
            "allow,deny")
      << "the action follows from the rule type";
  EXPECT_THROW(create_relay("no-plan", "gold", ""), pqxx::foreign_key_violation);
}

}  // namespace
}  // namespace marina::store::testing
