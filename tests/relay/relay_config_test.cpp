// RelayConfig from a relay's rows: defaults for missing rows (the relay's own
// name and description included), every key parsed into its type, invalid or
// unknown rows ignored, plan caps lowering the values and ranges they bound.
#include <gtest/gtest.h>

#include "marina/relay/plan_limits.hpp"
#include "marina/relay/relay_config.hpp"
#include "marina/relay/settings.hpp"

namespace marina::relay {
namespace {

const RelayIdentity kRelay{"myrelay", "My Relay", "A relay of mine"};

PlanLimits free_plan() {
  PlanLimits p;
  p.id = "free";
  p.name = "Free";
  p.max_relays = 1;
  p.max_connections = 100;
  p.max_subscriptions = 1000;
  p.max_whitelist_rules = 100;
  return p;
}

const ConfigEntry& entry(const std::vector<ConfigEntry>& entries, std::string_view key) {
  for (const auto& e : entries)
    if (e.key->name == key) return e;
  throw std::out_of_range(std::string(key));
}

TEST(RelayConfig, NoRowsMeansEveryDefault) {
  const RelayConfig c = RelayConfig::build({}, kRelay, nullptr);
  const RelayLimits platform;
  EXPECT_EQ(c.relay_name, "My Relay");
  EXPECT_EQ(c.relay_description, "A relay of mine");
  EXPECT_EQ(c.relay_contact, "");
  EXPECT_EQ(c.relay_icon, "");
  EXPECT_EQ(c.relay_software, "marina");
  EXPECT_EQ(c.relay_version, software_version());
  EXPECT_EQ(c.supported_nips, (std::vector<int>{1, 9, 11, 13, 40, 42, 45, 50, 62, 70}));
  EXPECT_EQ(c.language_tags, std::vector<std::string>{"*"});
  EXPECT_EQ(c.relay_countries, std::vector<std::string>{"*"});
  EXPECT_EQ(c.posting_policy, "");
  EXPECT_EQ(c.payments_url, "");
  EXPECT_EQ(c.max_connections, 1000);
  EXPECT_EQ(c.max_subscriptions_per_client, static_cast<std::int64_t>(platform.max_subscriptions));
  EXPECT_EQ(c.max_total_subscriptions, 5000);
  EXPECT_EQ(c.max_message_length, static_cast<std::int64_t>(platform.max_message_bytes));
  EXPECT_EQ(c.max_event_tags, static_cast<std::int64_t>(platform.max_event_tags));
  EXPECT_EQ(c.max_content_length, static_cast<std::int64_t>(platform.max_content_length));
  EXPECT_FALSE(c.auth_enabled);
  EXPECT_FALSE(c.nip42_auth_required);
  EXPECT_TRUE(c.nip42_auth_required_kinds.empty());
  EXPECT_EQ(c.nip42_challenge_timeout, 300);
  EXPECT_TRUE(c.admin_pubkeys.empty());
  EXPECT_EQ(c.pow_min_difficulty, 0);
  EXPECT_EQ(c.pow_mode, PowMode::optional);
  EXPECT_TRUE(c.nip40_expiration_enabled);
  EXPECT_TRUE(c.nip40_expiration_strict);
  EXPECT_TRUE(c.nip40_expiration_filter);
  EXPECT_EQ(c.nip40_expiration_grace_period, 300);
  EXPECT_EQ(c.kind_24567_reporting_throttle_sec, 5);
}

TEST(RelayConfig, ANamelessRelayIsNamedByItsSubdomain) {
  EXPECT_EQ(RelayConfig::build({}, RelayIdentity{"bare", "", ""}, nullptr).relay_name, "bare");
}

TEST(RelayConfig, EveryKeyIsParsedFromItsRow) {
  const std::string admin(64, 'c');
  const ConfigRows rows = {{"relay_name", "Named"},
                           {"relay_description", "Described"},
                           {"relay_contact", "me@example.com"},
                           {"relay_icon", "https://example.com/i.png"},
                           {"relay_software", "https://marina.dev"},
                           {"relay_version", "9.9"},
                           {"supported_nips", "1,11"},
                           {"language_tags", "en,de"},
                           {"relay_countries", "US"},
                           {"posting_policy", "https://example.com/p"},
                           {"payments_url", "https://example.com/pay"},
                           {"max_connections", "7"},
                           {"max_subscriptions_per_client", "8"},
                           {"max_total_subscriptions", "900"},
                           {"max_message_length", "2048"},
                           {"max_event_tags", "11"},
                           {"max_content_length", "12"},
                           {"auth_enabled", "true"},
                           {"nip42_auth_required", "true"},
                           {"nip42_auth_required_kinds", "4,1059"},
                           {"nip42_challenge_timeout", "60"},
                           {"admin_pubkeys", admin},
                           {"pow_min_difficulty", "20"},
                           {"pow_mode", "required"},
                           {"nip40_expiration_enabled", "false"},
                           {"nip40_expiration_strict", "false"},
                           {"nip40_expiration_filter", "false"},
                           {"nip40_expiration_grace_period", "0"},
                           {"kind_24567_reporting_throttle_sec", "60"}};
  const RelayConfig c = RelayConfig::build(rows, kRelay, nullptr);
  EXPECT_EQ(c.relay_name, "Named");
  EXPECT_EQ(c.relay_description, "Described");
  EXPECT_EQ(c.relay_contact, "me@example.com");
  EXPECT_EQ(c.relay_icon, "https://example.com/i.png");
  EXPECT_EQ(c.relay_software, "https://marina.dev");
  EXPECT_EQ(c.relay_version, "9.9");
  EXPECT_EQ(c.supported_nips, (std::vector<int>{1, 11}));
  EXPECT_EQ(c.language_tags, (std::vector<std::string>{"en", "de"}));
  EXPECT_EQ(c.relay_countries, std::vector<std::string>{"US"});
  EXPECT_EQ(c.posting_policy, "https://example.com/p");
  EXPECT_EQ(c.payments_url, "https://example.com/pay");
  EXPECT_EQ(c.max_connections, 7);
  EXPECT_EQ(c.max_subscriptions_per_client, 8);
  EXPECT_EQ(c.max_total_subscriptions, 900);
  EXPECT_EQ(c.max_message_length, 2048);
  EXPECT_EQ(c.max_event_tags, 11);
  EXPECT_EQ(c.max_content_length, 12);
  EXPECT_TRUE(c.auth_enabled);
  EXPECT_TRUE(c.nip42_auth_required);
  EXPECT_EQ(c.nip42_auth_required_kinds, (std::vector<int>{4, 1059}));
  EXPECT_TRUE(c.kind_requires_auth(1059));
  EXPECT_FALSE(c.kind_requires_auth(1));
  EXPECT_EQ(c.nip42_challenge_timeout, 60);
  EXPECT_EQ(c.admin_pubkeys, std::vector<std::string>{admin});
  EXPECT_EQ(c.pow_min_difficulty, 20);
  EXPECT_EQ(c.pow_mode, PowMode::required);
  EXPECT_FALSE(c.nip40_expiration_enabled);
  EXPECT_FALSE(c.nip40_expiration_strict);
  EXPECT_FALSE(c.nip40_expiration_filter);
  EXPECT_EQ(c.nip40_expiration_grace_period, 0);
  EXPECT_EQ(c.kind_24567_reporting_throttle_sec, 60);
  EXPECT_EQ(RelayConfig::build({{"pow_mode", "disabled"}}, kRelay, nullptr).pow_mode, PowMode::disabled);
}

TEST(RelayConfig, InvalidAndUnknownRowsAreIgnored) {
  const ConfigRows rows = {{"max_connections", "0"}, {"auth_enabled", "yes"}, {"relay_port", "80"},
                           {"pow_mode", "maybe"}};
  const auto entries = config_entries(rows, kRelay, nullptr);
  EXPECT_EQ(entries.size(), config_catalogue().size());
  EXPECT_EQ(entry(entries, "max_connections").value, "1000");
  EXPECT_TRUE(entry(entries, "max_connections").is_default);
  const RelayConfig c = RelayConfig::build(rows, kRelay, nullptr);
  EXPECT_EQ(c.max_connections, 1000);
  EXPECT_FALSE(c.auth_enabled);
  EXPECT_EQ(c.pow_mode, PowMode::optional);
}

TEST(RelayConfig, ThePlanCapsValuesAndRanges) {
  const PlanLimits plan = free_plan();
  const auto entries = config_entries({{"max_total_subscriptions", "20000"}}, kRelay, &plan);
  EXPECT_EQ(entry(entries, "max_connections").value, "100") << "the default 1000 above the cap";
  EXPECT_EQ(entry(entries, "max_connections").range, "1-100");
  EXPECT_EQ(entry(entries, "max_total_subscriptions").value, "1000") << "a stored value above the cap";
  EXPECT_FALSE(entry(entries, "max_total_subscriptions").is_default);
  EXPECT_EQ(entry(entries, "max_total_subscriptions").range, "100-1000");
  EXPECT_EQ(entry(entries, "max_subscriptions_per_client").range, "1-100") << "the cap is above the key's range";
  EXPECT_EQ(entry(entries, "max_message_length").range, "1024-1048576") << "not capped by plans";
  EXPECT_EQ(entry(entries, "pow_mode").range, "disabled/optional/required");
  EXPECT_EQ(entry(entries, "relay_name").range, "");
  const RelayConfig c = RelayConfig::build({{"max_connections", "50"}}, kRelay, &plan);
  EXPECT_EQ(c.max_connections, 50) << "below the cap: as stored";
  EXPECT_EQ(c.max_total_subscriptions, 1000);
}

TEST(PlanLimits, CeilingsNameTheKeyTheCapAndThePlan) {
  const PlanLimits plan = free_plan();
  EXPECT_EQ(plan.ceiling("max_connections"), 100);
  EXPECT_EQ(plan.ceiling("max_total_subscriptions"), 1000);
  EXPECT_EQ(plan.ceiling("max_subscriptions_per_client"), 1000);
  EXPECT_EQ(plan.ceiling("max_content_length"), std::nullopt);
  EXPECT_FALSE(check_ceiling(plan, "max_connections", "100").has_value());
  auto refusal = check_ceiling(plan, "max_connections", "101");
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->message(), "max_connections: 101 is above the cap of plan 'free' (100)");
  EXPECT_FALSE(check_ceiling(plan, "relay_name", "anything").has_value());
}

}  // namespace
}  // namespace marina::relay
