// A relay's connection bounds: configured, under the platform's; the ip rules
// at the door; NIP-40 on reads as the configuration says.
#include <gtest/gtest.h>

#include "marina/relay/client_limits.hpp"
#include "marina/relay/expiration.hpp"

namespace marina::relay {
namespace {

RelayConfig config_of_rows(const ConfigRows& rows) { return RelayConfig::build(rows, RelayIdentity{"r", "", ""}, nullptr); }

TEST(ClientLimits, ConfiguredValuesUnderThePlatformsBounds) {
  RelayLimits platform;
  platform.max_subscriptions = 50;
  platform.max_message_bytes = 131072;
  const RelayConfig defaults = config_of_rows({});
  EXPECT_EQ(subscriptions_per_client(defaults, platform), 50u);
  EXPECT_EQ(message_length(defaults, platform), 131072u);
  EXPECT_EQ(total_subscriptions(defaults), 5000u);
  EXPECT_EQ(connections(defaults), 1000u);

  const RelayConfig lowered = config_of_rows({{"max_subscriptions_per_client", "3"},
                                              {"max_message_length", "2048"},
                                              {"max_total_subscriptions", "150"},
                                              {"max_connections", "2"}});
  EXPECT_EQ(subscriptions_per_client(lowered, platform), 3u);
  EXPECT_EQ(message_length(lowered, platform), 2048u);
  EXPECT_EQ(total_subscriptions(lowered), 150u);
  EXPECT_EQ(connections(lowered), 2u);

  const RelayConfig above = config_of_rows({{"max_subscriptions_per_client", "100"}, {"max_message_length", "1048576"}});
  EXPECT_EQ(subscriptions_per_client(above, platform), 50u) << "RELAY_MAX_SUBSCRIPTIONS is the outer bound";
  EXPECT_EQ(message_length(above, platform), 131072u) << "RELAY_MAX_MESSAGE_BYTES is the outer bound";
}

TEST(ClientLimits, Words) {
  EXPECT_EQ(subscriptions_per_client_refusal(3), "error: too many subscriptions (at most 3 per connection)");
  EXPECT_EQ(total_subscriptions_refusal(150),
            "error: too many subscriptions on this relay (at most 150 at once); try again later");
  EXPECT_EQ(message_length_notice(2048), "invalid: message larger than 2048 bytes");
  EXPECT_EQ(ip_refusal(IpAdmission::blacklisted), "blocked: your address is banned from this relay");
  EXPECT_EQ(ip_refusal(IpAdmission::not_whitelisted), "blocked: this relay admits only listed addresses");
  EXPECT_EQ(relay_full_detail(2), "This relay takes at most 2 connections at once here; try again later.");
}

TEST(ClientLimits, IpRulesApplyOnlyWhileAuthIsEnabled) {
  const AuthRules rules(std::vector<AuthRule>{{1, RuleType::blacklist, PatternType::ip, "192.0.2.0/24"}});
  const RelayConfig off = config_of_rows({});
  const RelayConfig on = config_of_rows({{"auth_enabled", "true"}});
  EXPECT_EQ(ip_admission(off, &rules, "192.0.2.7"), IpAdmission::admitted);
  EXPECT_EQ(ip_admission(on, &rules, "192.0.2.7"), IpAdmission::blacklisted);
  EXPECT_EQ(ip_admission(on, &rules, "::ffff:192.0.2.7"), IpAdmission::blacklisted);
  EXPECT_EQ(ip_admission(on, &rules, "198.51.100.1"), IpAdmission::admitted);
  EXPECT_EQ(ip_admission(on, nullptr, "192.0.2.7"), IpAdmission::admitted);
}

TEST(ClientLimits, AnIpWhitelistAdmitsOnlyItsAddressesAndTheBlacklistWins) {
  const AuthRules rules(std::vector<AuthRule>{{1, RuleType::whitelist, PatternType::ip, "10.0.0.0/8"},
                                              {2, RuleType::blacklist, PatternType::ip, "10.9.9.9"}});
  const RelayConfig on = config_of_rows({{"auth_enabled", "true"}});
  EXPECT_EQ(ip_admission(on, &rules, "10.1.2.3"), IpAdmission::admitted);
  EXPECT_EQ(ip_admission(on, &rules, "127.0.0.1"), IpAdmission::not_whitelisted);
  EXPECT_EQ(ip_admission(on, &rules, "10.9.9.9"), IpAdmission::blacklisted);
  const AuthRules pubkeys_only(std::vector<AuthRule>{
      {3, RuleType::whitelist, PatternType::pubkey, std::string(64, 'a')}});
  EXPECT_EQ(ip_admission(on, &pubkeys_only, "127.0.0.1"), IpAdmission::admitted) << "a pubkey whitelist is no ip whitelist";
}

TEST(Expiration, ByDefaultHiddenFromTheExpirationTimeOn) {
  const RelayConfig c = config_of_rows({});
  EXPECT_EQ(hidden_expired_up_to(c, 1000), 1000);
  EXPECT_TRUE(hidden_as_expired(c, 1000, 1000));
  EXPECT_FALSE(hidden_as_expired(c, 1001, 1000));
  EXPECT_FALSE(hidden_as_expired(c, std::nullopt, 1000));
}

TEST(Expiration, WithoutTheFilterServedForTheGracePeriod) {
  const RelayConfig c = config_of_rows({{"nip40_expiration_filter", "false"}, {"nip40_expiration_grace_period", "60"}});
  EXPECT_EQ(hidden_expired_up_to(c, 1000), 940);
  EXPECT_FALSE(hidden_as_expired(c, 941, 1000)) << "expired 59 s ago: still served";
  EXPECT_TRUE(hidden_as_expired(c, 940, 1000)) << "expired 60 s ago: the grace is over";
  const RelayConfig no_grace = config_of_rows({{"nip40_expiration_filter", "false"}, {"nip40_expiration_grace_period", "0"}});
  EXPECT_TRUE(hidden_as_expired(no_grace, 1000, 1000));
}

TEST(Expiration, DisabledMeansTheTagIsIgnored) {
  const RelayConfig c = config_of_rows({{"nip40_expiration_enabled", "false"}});
  EXPECT_EQ(hidden_expired_up_to(c, 1000), std::nullopt);
  EXPECT_FALSE(hidden_as_expired(c, 1, 1000));
}

}  // namespace
}  // namespace marina::relay
