// Auth rule patterns (pubkey, kind, ip address or CIDR) in their canonical
// form, and the lookups the relay services make in one relay's rules.
#include <gtest/gtest.h>

#include "marina/relay/auth_rules.hpp"
#include "marina/relay/ip_network.hpp"

namespace marina::relay {
namespace {

TEST(AuthRulePatterns, PubkeysAre64LowerCaseHex) {
  const std::string key(64, 'a');
  EXPECT_EQ(canonical_pattern(PatternType::pubkey, key), key);
  EXPECT_FALSE(canonical_pattern(PatternType::pubkey, std::string(64, 'A')));
  EXPECT_FALSE(canonical_pattern(PatternType::pubkey, std::string(63, 'a')));
  EXPECT_FALSE(canonical_pattern(PatternType::pubkey, std::string(64, 'g')));
}

TEST(AuthRulePatterns, KindsAreIntegersUpTo65535) {
  EXPECT_EQ(canonical_pattern(PatternType::kind, "0"), "0");
  EXPECT_EQ(canonical_pattern(PatternType::kind, "65535"), "65535");
  EXPECT_EQ(canonical_pattern(PatternType::kind, "007"), "7");
  for (const char* bad : {"65536", "-1", "", "1.5", "+4", "x", "100000"})
    EXPECT_FALSE(canonical_pattern(PatternType::kind, bad)) << bad;
}

TEST(AuthRulePatterns, IpsAreAddressesOrNetworksInOneForm) {
  EXPECT_EQ(canonical_pattern(PatternType::ip, "192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(canonical_pattern(PatternType::ip, "192.0.2.7/32"), "192.0.2.7");
  EXPECT_EQ(canonical_pattern(PatternType::ip, "10.1.2.3/8"), "10.0.0.0/8") << "host bits cleared";
  EXPECT_EQ(canonical_pattern(PatternType::ip, "2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(canonical_pattern(PatternType::ip, "2001:db8::/32"), "2001:db8::/32");
  EXPECT_EQ(canonical_pattern(PatternType::ip, "::ffff:192.0.2.7"), "192.0.2.7") << "mapped IPv4 is IPv4";
  EXPECT_EQ(canonical_pattern(PatternType::ip, "0.0.0.0/0"), "0.0.0.0/0");
  for (const char* bad : {"", "300.1.1.1", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "::1/129", "host.example",
                          "1.2.3.4 ", "1.2.3.4/-1"})
    EXPECT_FALSE(canonical_pattern(PatternType::ip, bad)) << bad;
}

TEST(AuthRulePatterns, NamesAndActions) {
  EXPECT_EQ(parse_rule_type("whitelist"), RuleType::whitelist);
  EXPECT_EQ(parse_rule_type("blacklist"), RuleType::blacklist);
  EXPECT_FALSE(parse_rule_type("greylist"));
  EXPECT_EQ(parse_pattern_type("ip"), PatternType::ip);
  EXPECT_FALSE(parse_pattern_type("email"));
  EXPECT_EQ(rule_action(RuleType::whitelist), "allow");
  EXPECT_EQ(rule_action(RuleType::blacklist), "deny");
  EXPECT_EQ(to_string(PatternType::kind), "kind");
  EXPECT_EQ(to_string(RuleType::blacklist), "blacklist");
}

TEST(AuthRules, AnswersTheLookupsOfTheRelayServices) {
  const std::string alice(64, 'a'), bob(64, 'b'), carol(64, 'c');
  AuthRules rules({{1, RuleType::blacklist, PatternType::pubkey, bob},
                   {2, RuleType::whitelist, PatternType::pubkey, alice},
                   {3, RuleType::whitelist, PatternType::kind, "1"},
                   {4, RuleType::blacklist, PatternType::kind, "4"},
                   {5, RuleType::blacklist, PatternType::ip, "10.0.0.0/8"},
                   {6, RuleType::blacklist, PatternType::ip, "2001:db8::/32"},
                   {7, RuleType::whitelist, PatternType::ip, "192.0.2.7"},
                   {8, RuleType::blacklist, PatternType::kind, "not a kind"}});
  EXPECT_EQ(rules.all().size(), 7u) << "a rule that is not canonical is left out";
  EXPECT_TRUE(rules.pubkey_blacklisted(bob));
  EXPECT_FALSE(rules.pubkey_blacklisted(alice));
  EXPECT_TRUE(rules.has_pubkey_whitelist());
  EXPECT_TRUE(rules.pubkey_whitelisted(alice));
  EXPECT_FALSE(rules.pubkey_whitelisted(carol));
  EXPECT_TRUE(rules.has_kind_whitelist());
  EXPECT_TRUE(rules.kind_whitelisted(1));
  EXPECT_FALSE(rules.kind_whitelisted(7));
  EXPECT_TRUE(rules.kind_blacklisted(4));
  EXPECT_TRUE(rules.ip_blacklisted("10.20.30.40"));
  EXPECT_TRUE(rules.ip_blacklisted("::ffff:10.20.30.40")) << "as a dual-stack socket reports it";
  EXPECT_TRUE(rules.ip_blacklisted("2001:db8:1::5"));
  EXPECT_FALSE(rules.ip_blacklisted("11.0.0.1"));
  EXPECT_FALSE(rules.ip_blacklisted("garbage"));
  EXPECT_TRUE(rules.has_ip_whitelist());
  EXPECT_TRUE(rules.ip_whitelisted("192.0.2.7"));
  EXPECT_FALSE(rules.ip_whitelisted("192.0.2.8"));
  EXPECT_EQ(rules.whitelist_count(), 3u);

  AuthRules none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.has_pubkey_whitelist());
  EXPECT_FALSE(none.ip_blacklisted("10.0.0.1"));
}

TEST(IpNetwork, ContainsOnlyItsOwnFamilyAndPrefix) {
  const auto net = IpNetwork::parse("192.168.0.0/16");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(*IpNetwork::parse("192.168.255.1")));
  EXPECT_FALSE(net->contains(*IpNetwork::parse("192.169.0.1")));
  EXPECT_FALSE(net->contains(*IpNetwork::parse("::1")));
  EXPECT_TRUE(IpNetwork::parse("0.0.0.0/0")->contains(*IpNetwork::parse("8.8.8.8")));
  EXPECT_TRUE(IpNetwork::parse("2001:db8::/33")->contains(*IpNetwork::parse("2001:db8:7fff::1")));
  EXPECT_FALSE(IpNetwork::parse("2001:db8::/33")->contains(*IpNetwork::parse("2001:db8:8000::1")));
}

}  // namespace
}  // namespace marina::relay
