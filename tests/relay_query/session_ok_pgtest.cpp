// An EVENT's OK, in process against real PostgreSQL and Redis, with
// relay-ingest's side played by the test: the outcome comes back on this
// replica's reply stream, or the client gets the time-out.
#include <gtest/gtest.h>

#include <chrono>

#include "marina/nostr/keys.hpp"
#include "query_harness.hpp"

namespace marina::relay_query::testing {
namespace {

using json = nlohmann::json;

// Waits until marina:ingest holds `n` requests.
std::vector<streams::IngestRequest> wait_ingest_requests(const IngestEnv& env, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    auto requests = ingest_requests(env);
    if (requests.size() >= n || std::chrono::steady_clock::now() >= deadline) return requests;
    std::this_thread::sleep_for(10ms);
  }
}

TEST(SessionOk, TimesOutWhenRelayIngestDoesNotAnswer) {
  QuerySettings settings = test_settings();
  settings.ok_timeout = 300ms;
  OneConnection t("silent", settings);
  WsClient& client = t.client;
  const nostr::Event event = signed_event(nostr::SecretKey::generate(), 1, "nobody stores me");

  const auto sent = std::chrono::steady_clock::now();
  client.send(R"(["EVENT",)" + event.raw + "]");
  EXPECT_EQ(client.read(), json::array({"OK", event.id.hex(), false, "error: timed out storing the event"}));
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 300ms);

  // It was handed to relay-ingest, as relay-ingest expects it.
  const auto requests = wait_ingest_requests(t.env, 1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].relay_id, t.relay_id);
  EXPECT_EQ(requests[0].origin, kReplica);
  EXPECT_EQ(requests[0].event_json, event.raw);
  EXPECT_EQ(t.gateway.metric("marina_relay_query_oks_total{result=\"timed_out\"}"), 1);

  // An outcome after the time-out reaches nobody (counted).
  const double unroutable = t.gateway.metric("marina_relay_query_ingest_replies_unroutable_total");
  publish_reply(t.env, streams::IngestReply{.connection = requests[0].connection, .event_id = event.id.hex(),
                                          .accepted = true});
  EXPECT_TRUE(t.gateway.wait_metric("marina_relay_query_ingest_replies_unroutable_total", unroutable + 1));
}

TEST(SessionOk, OutcomeFromTheReplyStream) {
  OneConnection t("answered", test_settings());
  WsClient& client = t.client;
  const auto key = nostr::SecretKey::generate();
  const nostr::Event stored = signed_event(key, 1, "stored");
  const nostr::Event refused = signed_event(key, 1, "refused");

  client.send(R"(["EVENT",)" + stored.raw + "]");
  client.send(R"(["EVENT",)" + refused.raw + "]");
  const auto requests = wait_ingest_requests(t.env, 2);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].connection, requests[1].connection);
  // Out of order, as two relay-ingest replicas may answer.
  publish_reply(t.env, streams::IngestReply{.connection = requests[1].connection, .event_id = refused.id.hex(),
                                          .accepted = false, .message = "blocked: not on this relay"});
  publish_reply(t.env, streams::IngestReply{.connection = requests[0].connection, .event_id = stored.id.hex(),
                                          .accepted = true});
  EXPECT_EQ(client.read(), json::array({"OK", refused.id.hex(), false, "blocked: not on this relay"}));
  EXPECT_EQ(client.read(), json::array({"OK", stored.id.hex(), true, ""}));
}

}  // namespace
}  // namespace marina::relay_query::testing
