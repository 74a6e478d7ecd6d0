// A connection's bounds, in process against real PostgreSQL and Redis: each
// refusal is the exact NIP-01 message, and the connection stays usable.
#include <gtest/gtest.h>

#include <string>

#include "marina/nostr/keys.hpp"
#include "query_harness.hpp"

namespace marina::relay_query::testing {
namespace {

using json = nlohmann::json;

TEST(SessionBounds, SubscriptionsPerConnection) {
  QuerySettings settings = test_settings();
  settings.relay.limits.max_subscriptions = 2;
  OneConnection t("bounds", settings);
  WsClient& client = t.client;

  client.send(std::string(R"(["REQ","s1",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","s1"])"));
  client.send(std::string(R"(["REQ","s2",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","s2"])"));
  client.send(std::string(R"(["REQ","s3",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::array({"CLOSED", "s3", "error: too many subscriptions (at most 2 per connection)"}));
  // A REQ with an open subscription's id replaces it: still two.
  client.send(std::string(R"(["REQ","s1",{"kinds":[2]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","s1"])"));
  // After a CLOSE there is room again.
  client.send(std::string(R"(["CLOSE","s2"])"));
  client.send(std::string(R"(["REQ","s3",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","s3"])"));
}

TEST(SessionBounds, FiltersPerRequest) {
  QuerySettings settings = test_settings();
  settings.relay.limits.max_filters = 2;
  OneConnection t("filters", settings);
  WsClient& client = t.client;

  client.send(std::string(R"(["REQ","two",{"kinds":[1]},{"kinds":[2]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","two"])"));
  client.send(std::string(R"(["REQ","three",{"kinds":[1]},{"kinds":[2]},{"kinds":[3]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["CLOSED","three","invalid: more than 2 filters"])"));
  client.send(std::string(R"(["COUNT","c",{"kinds":[1]},{"kinds":[2]},{"kinds":[3]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["CLOSED","c","invalid: more than 2 filters"])"));
  // A refused REQ with an open subscription's id closes that subscription too.
  EXPECT_EQ(t.gateway.metric("marina_relay_query_subscriptions_open"), 1);
  client.send(std::string(R"(["REQ","two",{"kinds":[1]},{"kinds":[2]},{"kinds":[3]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["CLOSED","two","invalid: more than 2 filters"])"));
  EXPECT_EQ(t.gateway.metric("marina_relay_query_subscriptions_open"), 0);
  client.send(std::string(R"(["COUNT","c",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["COUNT","c",{"count":0}])"));
}

TEST(SessionBounds, MessageSize) {
  QuerySettings settings = test_settings();
  settings.relay.limits.max_message_bytes = 1024;
  OneConnection t("size", settings);
  WsClient& client = t.client;

  // Exactly the bound is handled (JSON allows the padding).
  std::string at_bound = R"(["REQ","fits",{"kinds":[1]})";
  at_bound += std::string(1024 - at_bound.size() - 1, ' ') + "]";
  ASSERT_EQ(at_bound.size(), 1024u);
  client.send(at_bound);
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","fits"])"));
  // One byte more is dropped and answered with a NOTICE...
  std::string over = R"(["REQ","over",{"kinds":[1]})";
  over += std::string(1025 - over.size() - 1, ' ') + "]";
  client.send(over);
  EXPECT_EQ(client.read(), json::parse(R"(["NOTICE","invalid: message larger than 1024 bytes"])"));
  // ...and so is a message several times the bound, read piece by piece (one
  // announcing more than four times the bound is refused at its frame header
  // with close 1009: tests/e2e bad_input).
  client.send(R"(["REQ","huge",{"kinds":[1]},)" + std::string(4000, ' ') + "]");
  EXPECT_EQ(client.read(), json::parse(R"(["NOTICE","invalid: message larger than 1024 bytes"])"));
  // The connection is still usable.
  client.send(std::string(R"(["REQ","after",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","after"])"));
}

TEST(SessionBounds, EventsWaitingForTheirOk) {
  QuerySettings settings = test_settings();
  settings.max_pending_events = 1;
  OneConnection t("pending", settings);  // relay-ingest is not running: no OK comes back
  WsClient& client = t.client;
  const auto key = nostr::SecretKey::generate();
  const nostr::Event first = signed_event(key, 1, "first");
  const nostr::Event second = signed_event(key, 1, "second");

  client.send(R"(["EVENT",)" + first.raw + "]");
  client.send(R"(["EVENT",)" + second.raw + "]");
  EXPECT_EQ(client.read(), json::array({"OK", second.id.hex(), false,
                                        "rate-limited: 1 events are already waiting for their OK"}));
}

}  // namespace
}  // namespace marina::relay_query::testing
