// The NIP-11 document shows the relay's identity, its configuration and the
// bounds really enforced (configured, under the platform's).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marina/nostr/nip19.hpp"
#include "relay_document.hpp"

namespace marina::relay_query {
namespace {

store::Relay sample_relay(const relay::ConfigRows& rows = {}) {
  store::Relay r;
  r.id = "6f1c3a52-7d39-4b8e-9d0e-3f7b2a1c4d5e";
  r.subdomain = "bitcoin";
  r.name = "Bitcoin talk";
  r.description = "A relay about \"bitcoin\".";
  r.tenant_pubkey = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
  r.relay_pubkey = "91cf9de2a0f4d3d1a2b0c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081920";
  r.config = relay::make_relay_config(rows, relay::RelayIdentity{r.subdomain, r.name, r.description}, nullptr);
  r.rules = std::make_shared<const relay::AuthRules>();
  return r;
}

nlohmann::json document(const store::Relay& r, const relay::RelaySettings& settings = {}) {
  return nlohmann::json::parse(relay_document(r, settings));
}

TEST(RelayDocument, NamesTheRelayItsOwnerAndItsOwnKey) {
  const auto doc = document(sample_relay());
  EXPECT_EQ(doc["name"], "Bitcoin talk");
  EXPECT_EQ(doc["description"], "A relay about \"bitcoin\".");
  EXPECT_EQ(doc["pubkey"], sample_relay().tenant_pubkey) << "NIP-11: the admin's key";
  EXPECT_EQ(doc["self"], sample_relay().relay_pubkey);
  auto owner = nostr::PublicKey::from_hex(sample_relay().tenant_pubkey);
  ASSERT_TRUE(owner);
  EXPECT_EQ(doc["contact"], "nostr:" + nostr::nip19::encode_npub(*owner));
  EXPECT_EQ(doc["software"], "marina");
  EXPECT_FALSE(doc["version"].get<std::string>().empty());
  EXPECT_EQ(doc["supported_nips"], nlohmann::json::array({1, 9, 11, 13, 40, 42, 45, 50, 62, 70}));
  EXPECT_EQ(doc["language_tags"], nlohmann::json::array({"*"}));
  EXPECT_EQ(doc["relay_countries"], nlohmann::json::array({"*"}));
  EXPECT_FALSE(doc.contains("icon")) << "empty URLs are left out";
  EXPECT_FALSE(doc.contains("posting_policy"));
  EXPECT_FALSE(doc.contains("payments_url"));
}

TEST(RelayDocument, ShowsTheConfiguration) {
  const auto doc = document(sample_relay({{"relay_name", "Sats"},
                                          {"relay_description", "Only sats"},
                                          {"relay_contact", "mailto:ops@example.com"},
                                          {"relay_icon", "https://example.com/i.png"},
                                          {"relay_software", "https://example.com/sw"},
                                          {"relay_version", "9.9"},
                                          {"posting_policy", "https://example.com/policy"},
                                          {"payments_url", "https://example.com/pay"},
                                          {"language_tags", "en,fr"},
                                          {"relay_countries", "CA,US"}}));
  EXPECT_EQ(doc["name"], "Sats");
  EXPECT_EQ(doc["description"], "Only sats");
  EXPECT_EQ(doc["contact"], "mailto:ops@example.com");
  EXPECT_EQ(doc["icon"], "https://example.com/i.png");
  EXPECT_EQ(doc["software"], "https://example.com/sw");
  EXPECT_EQ(doc["version"], "9.9");
  EXPECT_EQ(doc["posting_policy"], "https://example.com/policy");
  EXPECT_EQ(doc["payments_url"], "https://example.com/pay");
  EXPECT_EQ(doc["language_tags"], nlohmann::json::array({"en", "fr"}));
  EXPECT_EQ(doc["relay_countries"], nlohmann::json::array({"CA", "US"}));
}

TEST(RelayDocument, SupportedNipsAreThoseTheRelayDoesWithItsConfiguration) {
  EXPECT_EQ(document(sample_relay({{"supported_nips", "1,11,29,40,999"}}))["supported_nips"],
            nlohmann::json::array({1, 11, 40}))
      << "NIPs Marina does not do are never listed";
  EXPECT_EQ(document(sample_relay({{"nip40_expiration_enabled", "false"}}))["supported_nips"],
            nlohmann::json::array({1, 9, 11, 13, 42, 45, 50, 62, 70}));
  EXPECT_EQ(document(sample_relay({{"pow_mode", "disabled"}}))["supported_nips"],
            nlohmann::json::array({1, 9, 11, 40, 42, 45, 50, 62, 70}));
}

TEST(RelayDocument, LimitationIsWhatThePlatformEnforcesByDefault) {
  relay::RelaySettings settings;
  relay::RelayLimits& l = settings.limits;
  l.max_message_bytes = 65536;
  l.max_subscriptions = 20;
  l.max_filters = 5;
  l.max_limit = 300;
  l.default_limit = 100;
  l.max_subid_length = 32;
  l.max_event_tags = 1000;
  l.max_content_length = 50000;
  l.created_at_lower_seconds = 86400;
  l.created_at_upper_seconds = 60;
  const auto lim = document(sample_relay(), settings)["limitation"];
  EXPECT_EQ(lim["max_message_length"], 65536);
  EXPECT_EQ(lim["max_subscriptions"], 20);
  EXPECT_EQ(lim["max_filters"], 5);
  EXPECT_EQ(lim["max_limit"], 300);
  EXPECT_EQ(lim["default_limit"], 100);
  EXPECT_EQ(lim["max_subid_length"], 32);
  EXPECT_EQ(lim["max_event_tags"], 1000);
  EXPECT_EQ(lim["max_content_length"], 50000);
  EXPECT_EQ(lim["created_at_lower_limit"], 86400);
  EXPECT_EQ(lim["created_at_upper_limit"], 60);
  EXPECT_EQ(lim["min_pow_difficulty"], 0);
  EXPECT_EQ(lim["auth_required"], false);
  EXPECT_EQ(lim["payment_required"], false);
  EXPECT_EQ(lim["restricted_writes"], false);
}

TEST(RelayDocument, LimitationShowsTheConfiguredBoundsUnderThePlatforms) {
  const auto lim = document(sample_relay({{"max_message_length", "2048"},
                                          {"max_subscriptions_per_client", "7"},
                                          {"max_event_tags", "30"},
                                          {"max_content_length", "500"},
                                          {"pow_mode", "required"},
                                          {"pow_min_difficulty", "12"},
                                          {"nip42_auth_required", "true"}}))["limitation"];
  EXPECT_EQ(lim["max_message_length"], 2048);
  EXPECT_EQ(lim["max_subscriptions"], 7);
  EXPECT_EQ(lim["max_event_tags"], 30);
  EXPECT_EQ(lim["max_content_length"], 500);
  EXPECT_EQ(lim["min_pow_difficulty"], 12);
  EXPECT_EQ(lim["auth_required"], true);
  EXPECT_EQ(lim["restricted_writes"], true);

  const auto above = document(sample_relay({{"max_message_length", "1048576"}, {"max_event_tags", "10000"}}))["limitation"];
  EXPECT_EQ(above["max_message_length"], 131072) << "RELAY_MAX_MESSAGE_BYTES stays the outer bound";
  EXPECT_EQ(above["max_event_tags"], 2000);
  EXPECT_EQ(document(sample_relay({{"pow_min_difficulty", "12"}}))["limitation"]["min_pow_difficulty"], 0)
      << "optional proof of work is no minimum";
}

TEST(RelayDocument, AWhitelistRestrictsWritesOnlyWhileAuthIsEnabled) {
  store::Relay r = sample_relay();
  r.rules = std::make_shared<const relay::AuthRules>(std::vector<relay::AuthRule>{
      {1, relay::RuleType::whitelist, relay::PatternType::kind, "1"}});
  EXPECT_EQ(document(r)["limitation"]["restricted_writes"], false);
  store::Relay enabled = sample_relay({{"auth_enabled", "true"}});
  enabled.rules = r.rules;
  EXPECT_EQ(document(enabled)["limitation"]["restricted_writes"], true);
  enabled.rules = std::make_shared<const relay::AuthRules>(std::vector<relay::AuthRule>{
      {2, relay::RuleType::blacklist, relay::PatternType::kind, "4"}});
  EXPECT_EQ(document(enabled)["limitation"]["restricted_writes"], false) << "a blacklist restricts no one in general";
}

TEST(RelayDocument, SubscriptionIdsNeverLongerThanNip01Allows) {
  relay::RelaySettings settings;
  settings.limits.max_subid_length = 200;
  EXPECT_EQ(document(sample_relay(), settings)["limitation"]["max_subid_length"], 64);
}

TEST(RelayDocument, ASuspensionRestrictsWrites) {
  store::Relay r = sample_relay();
  r.status = store::RelayStatus::suspended;
  EXPECT_EQ(document(r)["limitation"]["restricted_writes"], true);
  store::Relay owner_suspended = sample_relay();
  owner_suspended.tenant_suspended = true;
  EXPECT_EQ(document(owner_suspended)["limitation"]["restricted_writes"], true);
}

}  // namespace
}  // namespace marina::relay_query
