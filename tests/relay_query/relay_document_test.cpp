// The NIP-11 document shows the relay's identity and the bounds really enforced.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marina/nostr/nip19.hpp"
#include "relay_document.hpp"

namespace marina::relay_query {
namespace {

store::Relay sample_relay() {
  store::Relay r;
  r.id = "6f1c3a52-7d39-4b8e-9d0e-3f7b2a1c4d5e";
  r.subdomain = "bitcoin";
  r.name = "Bitcoin talk";
  r.description = "A relay about \"bitcoin\".";
  r.tenant_pubkey = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
  r.relay_pubkey = "91cf9de2a0f4d3d1a2b0c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081920";
  return r;
}

TEST(RelayDocument, NamesTheRelayAndItsKeys) {
  relay::RelaySettings settings;
  const auto doc = nlohmann::json::parse(relay_document(sample_relay(), settings));
  EXPECT_EQ(doc["name"], "Bitcoin talk");
  EXPECT_EQ(doc["description"], "A relay about \"bitcoin\".");
  EXPECT_EQ(doc["pubkey"], sample_relay().relay_pubkey);
  EXPECT_EQ(doc["self"], sample_relay().relay_pubkey);
  auto owner = nostr::PublicKey::from_hex(sample_relay().tenant_pubkey);
  ASSERT_TRUE(owner);
  EXPECT_EQ(doc["contact"], "nostr:" + nostr::nip19::encode_npub(*owner));
  EXPECT_EQ(doc["software"], "https://marina.dev");
  EXPECT_FALSE(doc["version"].get<std::string>().empty());
  EXPECT_EQ(doc["supported_nips"], nlohmann::json::array({1, 9, 11, 40, 45, 50, 62}));
}

TEST(RelayDocument, AnUnnamedRelayGoesByItsSubdomain) {
  store::Relay r = sample_relay();
  r.name.clear();
  const auto doc = nlohmann::json::parse(relay_document(r, relay::RelaySettings{}));
  EXPECT_EQ(doc["name"], "bitcoin");
}

TEST(RelayDocument, LimitationIsWhatTheSettingsEnforce) {
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
  const auto lim = nlohmann::json::parse(relay_document(sample_relay(), settings))["limitation"];
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
  EXPECT_EQ(lim["auth_required"], false);
  EXPECT_EQ(lim["payment_required"], false);
  EXPECT_EQ(lim["restricted_writes"], false);
}

TEST(RelayDocument, SubscriptionIdsNeverLongerThanNip01Allows) {
  relay::RelaySettings settings;
  settings.limits.max_subid_length = 200;
  const auto lim = nlohmann::json::parse(relay_document(sample_relay(), settings))["limitation"];
  EXPECT_EQ(lim["max_subid_length"], 64);
}

TEST(RelayDocument, ASuspendedRelayRestrictsWrites) {
  store::Relay r = sample_relay();
  r.status = store::RelayStatus::suspended;
  const auto lim = nlohmann::json::parse(relay_document(r, relay::RelaySettings{}))["limitation"];
  EXPECT_EQ(lim["restricted_writes"], true);
}

}  // namespace
}  // namespace marina::relay_query
