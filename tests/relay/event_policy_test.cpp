// One relay's EVENT policy (event_policy.hpp): auth rules with their owner
// exemption, NIP-13 modes, the event bounds inside the platform's, NIP-40 on
// arrival with its grace; every refusal with its words and its reason.
#include <gtest/gtest.h>

#include "marina/nostr/nip13.hpp"
#include "marina/relay/event_policy.hpp"

namespace marina::relay {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kOwner(64, 'a');
const std::string kAlice(64, 'b');
const std::string kBob(64, 'c');
const std::string kAdmin(64, 'd');

RelayConfig config(ConfigRows rows) { return RelayConfig::build(rows, RelayIdentity{"r", "", ""}, nullptr); }

AuthRules rules(std::vector<AuthRule> list) { return AuthRules(std::move(list)); }
AuthRule rule(RuleType type, PatternType pattern, std::string value) { return AuthRule{0, type, pattern, value}; }

std::optional<std::string> auth(const std::string& who, int kind, const RelayConfig& c, const AuthRules& r) {
  auto why = auth_rules_refusal(Publisher{who, kind, kOwner}, c, r);
  if (!why) return std::nullopt;
  return why->message;
}

TEST(ConfigOf, NullIsEveryKeyAtItsDefault) {
  const RelayConfig& c = config_of(nullptr);
  EXPECT_FALSE(c.auth_enabled);
  EXPECT_EQ(c.pow_mode, PowMode::optional);
  EXPECT_EQ(c.max_event_tags, static_cast<std::int64_t>(RelayLimits{}.max_event_tags));
  EXPECT_TRUE(rules_of(nullptr).empty());
  const auto mine = std::make_shared<const RelayConfig>(config({{"auth_enabled", "true"}}));
  EXPECT_EQ(&config_of(mine), mine.get());
}

TEST(AuthRulesOnEvent, ApplyOnlyWhileAuthEnabled) {
  const AuthRules r = rules({rule(RuleType::blacklist, PatternType::pubkey, kAlice)});
  EXPECT_EQ(auth(kAlice, 1, config({}), r), std::nullopt);
  EXPECT_EQ(auth(kAlice, 1, config({{"auth_enabled", "true"}}), r), "blocked: this pubkey is blacklisted on this relay");
}

TEST(AuthRulesOnEvent, EveryCombination) {
  const RelayConfig on = config({{"auth_enabled", "true"}});
  using enum RuleType;
  using enum PatternType;
  // Pubkey blacklist alone: others publish.
  AuthRules r = rules({rule(blacklist, pubkey, kAlice)});
  EXPECT_EQ(auth(kBob, 1, on, r), std::nullopt);
  // Pubkey whitelist: only its pubkeys.
  r = rules({rule(whitelist, pubkey, kAlice)});
  EXPECT_EQ(auth(kAlice, 1, on, r), std::nullopt);
  EXPECT_EQ(auth(kBob, 1, on, r), "blocked: this pubkey is not whitelisted on this relay");
  // Both: the blacklist wins for a pubkey on both.
  r = rules({rule(whitelist, pubkey, kAlice), rule(blacklist, pubkey, kAlice)});
  EXPECT_EQ(auth(kAlice, 1, on, r), "blocked: this pubkey is blacklisted on this relay");
  // Kind blacklist.
  r = rules({rule(blacklist, kind, "4")});
  EXPECT_EQ(auth(kBob, 4, on, r), "blocked: kind 4 is blacklisted on this relay");
  EXPECT_EQ(auth(kBob, 1, on, r), std::nullopt);
  // Kind whitelist: other kinds refused.
  r = rules({rule(whitelist, kind, "1"), rule(whitelist, kind, "7")});
  EXPECT_EQ(auth(kBob, 7, on, r), std::nullopt);
  EXPECT_EQ(auth(kBob, 30023, on, r), "blocked: kind 30023 is not whitelisted on this relay");
  // Pubkey and kind rules together: both must pass, the pubkey's refusal first.
  r = rules({rule(whitelist, pubkey, kAlice), rule(whitelist, kind, "1")});
  EXPECT_EQ(auth(kAlice, 1, on, r), std::nullopt);
  EXPECT_EQ(auth(kAlice, 4, on, r), "blocked: kind 4 is not whitelisted on this relay");
  EXPECT_EQ(auth(kBob, 4, on, r), "blocked: this pubkey is not whitelisted on this relay");
  // IP rules alone say nothing about who publishes.
  r = rules({rule(whitelist, ip, "10.0.0.0/8")});
  EXPECT_EQ(auth(kBob, 1, on, r), std::nullopt);
}

TEST(AuthRulesOnEvent, TheOwnerAndAdminPubkeysAreAlwaysAllowed) {
  const RelayConfig on = config({{"auth_enabled", "true"}, {"admin_pubkeys", kAdmin}});
  using enum RuleType;
  using enum PatternType;
  const AuthRules r = rules({rule(blacklist, pubkey, kOwner), rule(blacklist, pubkey, kAdmin),
                             rule(whitelist, pubkey, kAlice), rule(blacklist, kind, "4"), rule(whitelist, kind, "1")});
  EXPECT_EQ(auth(kOwner, 4, on, r), std::nullopt);
  EXPECT_EQ(auth(kAdmin, 30023, on, r), std::nullopt);
  EXPECT_EQ(auth(kAlice, 4, on, r), "blocked: kind 4 is blacklisted on this relay") << "a whitelisted pubkey is not an admin";
}

TEST(AuthRulesOnEvent, ReasonsAreFixedLabels) {
  const RelayConfig on = config({{"auth_enabled", "true"}});
  using enum RuleType;
  using enum PatternType;
  auto reason = [&](const AuthRules& r, const std::string& who, int kind) {
    return std::string(auth_rules_refusal(Publisher{who, kind, kOwner}, on, r).value().reason);
  };
  EXPECT_EQ(reason(rules({rule(blacklist, pubkey, kBob)}), kBob, 1), "pubkey_blacklisted");
  EXPECT_EQ(reason(rules({rule(whitelist, pubkey, kAlice)}), kBob, 1), "pubkey_not_whitelisted");
  EXPECT_EQ(reason(rules({rule(blacklist, kind, "1")}), kBob, 1), "kind_blacklisted");
  EXPECT_EQ(reason(rules({rule(whitelist, kind, "7")}), kBob, 1), "kind_not_whitelisted");
}

nostr::Event with_id(const std::string& id_hex, nostr::Tags tags = {}) {
  nostr::Event e;
  e.id = *nostr::EventId::from_hex(id_hex);
  e.tags = std::move(tags);
  return e;
}

std::optional<std::string> pow(const nostr::Event& e, const RelayConfig& c) {
  auto why = pow_refusal(e, c);
  if (!why) return std::nullopt;
  return why->message;
}

TEST(PowOnEvent, TheNip13ExampleAgainstEveryMode) {
  // NIP-13's example note: 21 leading zero bits, committed to 20.
  const auto example = with_id("000006d8c378af1779d2feebc7603a125d99eca0ccf1085959b307f64e5dd358",
                               {{"nonce", "776797", "20"}});
  ASSERT_EQ(nostr::nip13::difficulty(example.id), 21);
  for (const char* mode : {"optional", "required"}) {
    EXPECT_EQ(pow(example, config({{"pow_mode", mode}, {"pow_min_difficulty", "20"}})), std::nullopt) << mode;
    EXPECT_EQ(pow(example, config({{"pow_mode", mode}, {"pow_min_difficulty", "21"}})),
              "pow: committed target 20 is less than 21")
        << mode << ": 21 bits, but it aimed at 20";
  }
  EXPECT_EQ(pow(example, config({{"pow_mode", "disabled"}, {"pow_min_difficulty", "40"}})), std::nullopt);
}

TEST(PowOnEvent, RequiredCountsLeadingZeroBits) {
  const RelayConfig c = config({{"pow_mode", "required"}, {"pow_min_difficulty", "20"}});
  // 0x000 then 0x7: 12 + 1 bits.
  EXPECT_EQ(pow(with_id("0007" + std::string(60, 'f')), c), "pow: difficulty 13 is less than 20");
  EXPECT_EQ(pow(with_id("00000" + std::string(59, 'f')), c), std::nullopt) << "20 bits, no commitment";
  EXPECT_EQ(pow(with_id("0007" + std::string(60, 'f'), {{"nonce", "1", "30"}}), c),
            "pow: difficulty 13 is less than 20")
      << "a high target does not stand in for the bits";
  EXPECT_EQ(std::string(pow_refusal(with_id("0007" + std::string(60, 'f')), c)->reason), "pow_difficulty");
  EXPECT_EQ(std::string(pow_refusal(with_id("00000" + std::string(59, 'f'), {{"nonce", "1", "5"}}), c)->reason),
            "pow_target");
}

TEST(PowOnEvent, OptionalChecksOnlyEventsThatClaimWork) {
  const RelayConfig c = config({{"pow_mode", "optional"}, {"pow_min_difficulty", "20"}});
  EXPECT_EQ(pow(with_id(std::string(64, 'f')), c), std::nullopt) << "no nonce tag: accepted";
  EXPECT_EQ(pow(with_id(std::string(64, 'f'), {{"nonce", "9"}}), c), "pow: difficulty 0 is less than 20");
  EXPECT_EQ(pow(with_id("00000" + std::string(59, 'f'), {{"nonce", "9", "12"}}), c),
            "pow: committed target 12 is less than 20");
}

TEST(PowOnEvent, MinimumZeroRefusesNothing) {
  for (const char* mode : {"disabled", "optional", "required"})
    EXPECT_EQ(pow(with_id(std::string(64, 'f'), {{"nonce", "1", "0"}}), config({{"pow_mode", mode}})), std::nullopt);
}

nostr::Event event(std::size_t tags, std::size_t content, nostr::Tags extra = {}) {
  nostr::Event e;
  for (std::size_t i = 0; i < tags; ++i) e.tags.push_back({"t", "x"});
  for (auto& t : extra) e.tags.push_back(std::move(t));
  e.content = std::string(content, 'x');
  return e;
}

TEST(EventBounds, TheRelaysOwnInsideThePlatforms) {
  RelayLimits platform;
  platform.max_event_tags = 50;
  platform.max_content_length = 1000;
  const RelayConfig c = config({{"max_event_tags", "10"}, {"max_content_length", "100"}});
  EXPECT_EQ(event_bounds_refusal(event(10, 100), c, platform), std::nullopt);
  EXPECT_EQ(event_bounds_refusal(event(11, 1), c, platform)->message, "invalid: too many tags (11, at most 10)");
  EXPECT_EQ(event_bounds_refusal(event(11, 1), c, platform)->reason, "too_many_tags");
  EXPECT_EQ(event_bounds_refusal(event(0, 101), c, platform)->message,
            "invalid: content too long (101 bytes, at most 100)");
  EXPECT_EQ(event_bounds_refusal(event(0, 101), c, platform)->reason, "content_too_long");
  // A relay set above the platform's bound gets the platform's.
  const RelayConfig wide = config({{"max_event_tags", "5000"}, {"max_content_length", "500000"}});
  EXPECT_EQ(event_bounds_refusal(event(51, 1), wide, platform)->message, "invalid: too many tags (51, at most 50)");
  EXPECT_EQ(event_bounds_refusal(event(0, 1001), wide, platform)->message,
            "invalid: content too long (1001 bytes, at most 1000)");
}

std::optional<std::string> expiry(std::int64_t expires, const RelayConfig& c) {
  auto why = expiration_refusal(event(0, 0, {{"expiration", std::to_string(expires)}}), kNow, c);
  if (!why) return std::nullopt;
  return why->message;
}

TEST(ExpirationOnArrival, StrictRefusesPastTheGrace) {
  const RelayConfig c = config({{"nip40_expiration_grace_period", "300"}});  // enabled, strict: the defaults
  EXPECT_EQ(expiry(kNow + 10, c), std::nullopt);
  EXPECT_EQ(expiry(kNow - 299, c), std::nullopt) << "inside the grace";
  EXPECT_EQ(expiry(kNow - 300, c), "invalid: event has expired");
  EXPECT_EQ(expiration_refusal(event(0, 0, {{"expiration", "1"}}), kNow, c)->reason, "expired");
  const RelayConfig no_grace = config({{"nip40_expiration_grace_period", "0"}});
  EXPECT_EQ(expiry(kNow + 1, no_grace), std::nullopt);
  EXPECT_EQ(expiry(kNow, no_grace), "invalid: event has expired") << "expired at its second (NIP-40)";
  EXPECT_EQ(expiration_refusal(event(0, 0), kNow, no_grace), std::nullopt) << "no expiration tag";
}

TEST(ExpirationOnArrival, NotStrictOrDisabledAcceptsExpiredEvents) {
  EXPECT_EQ(expiry(1, config({{"nip40_expiration_strict", "false"}})), std::nullopt);
  EXPECT_EQ(expiry(1, config({{"nip40_expiration_enabled", "false"}})), std::nullopt);
}

TEST(EventPolicy, TheOrderIsRulesBoundsExpiryPow) {
  RelayLimits platform;
  const RelayConfig c = config({{"auth_enabled", "true"},
                                {"max_event_tags", "10"},
                                {"pow_mode", "required"},
                                {"pow_min_difficulty", "8"},
                                {"nip40_expiration_grace_period", "0"}});
  const AuthRules r = rules({rule(RuleType::blacklist, PatternType::kind, "1")});
  nostr::Event e = event(11, 0, {{"expiration", "1"}});
  e.id = *nostr::EventId::from_hex(std::string(64, 'f'));
  e.kind = 1;
  auto reason = [&] {
    auto why = event_policy_refusal(e, kOwner, c, r, platform, kNow);
    return why ? std::string(why->reason) : std::string();
  };
  EXPECT_EQ(reason(), "kind_blacklisted");
  e.kind = 2;
  EXPECT_EQ(reason(), "too_many_tags");
  e.tags.erase(e.tags.begin(), e.tags.begin() + 11);
  EXPECT_EQ(reason(), "expired");
  e.tags.clear();
  EXPECT_EQ(reason(), "pow_difficulty");
  e.id = *nostr::EventId::from_hex("00" + std::string(62, 'f'));
  EXPECT_EQ(reason(), "");
  // The owner is exempt from the rules, not from the rest.
  e.kind = 1;
  e.pubkey = *nostr::PublicKey::from_hex(kOwner);
  EXPECT_EQ(reason(), "");
  e.id = *nostr::EventId::from_hex(std::string(64, 'f'));
  EXPECT_EQ(reason(), "pow_difficulty");
}

TEST(EventPolicy, DefaultsRefuseNothingAnEventWithinThePlatformBoundsCarries) {
  nostr::Event e = event(3, 20, {{"nonce", "1", "30"}, {"expiration", std::to_string(kNow + 60)}});
  e.kind = 4;
  EXPECT_EQ(event_policy_refusal(e, kOwner, config_of(nullptr), rules_of(nullptr), RelayLimits{}, kNow),
            std::nullopt);
}

}  // namespace
}  // namespace marina::relay
