// Back-pressure, in process against real PostgreSQL and Redis: a client that
// does not read while live events keep coming is dropped once more than
// RELAY_MAX_PENDING_BYTES wait for it, with close 1008 "too slow: ...".
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "marina/nostr/keys.hpp"
#include "query_harness.hpp"
#include "ws_client.hpp"

namespace marina::relay_query::testing {
namespace {

using json = nlohmann::json;

constexpr std::size_t kPendingBound = 64 * 1024;
// Far more than the bound plus what the kernel buffers on both sides
// (tcp_wmem's default ceiling is 4 MiB).
constexpr int kEvents = 600;
const std::string kPadding(16 * 1024, 'x');

QuerySettings backpressure_settings(std::chrono::milliseconds handshake_timeout) {
  QuerySettings s = test_settings();
  s.relay.limits.max_pending_bytes = kPendingBound;
  s.handshake_timeout = handshake_timeout;
  return s;
}

// Subscribes to every kind-1 event and reads up to EOSE, then stops reading.
std::unique_ptr<WsClient> subscribed_client(const RunningGateway& gateway, const std::string& subdomain) {
  auto client = std::make_unique<WsClient>(gateway.port(), RunningGateway::host(subdomain),
                                           WsClientOptions{.receive_buffer_bytes = 4096});
  client->send(std::string(R"(["REQ","live",{"kinds":[1]}])"));
  EXPECT_EQ(client->read(), json::parse(R"(["EOSE","live"])"));
  return client;
}

void publish_many(const IngestEnv& env, const std::string& relay) {
  const auto key = nostr::SecretKey::generate();
  for (int i = 0; i < kEvents; ++i) publish_accepted(env, relay, signed_event(key, 1, std::to_string(i) + kPadding));
}

TEST(SessionBackpressure, ReaderThatNeverReadsIsDropped) {
  IngestEnv env;
  const std::string relay = env.add_relay("stalled");
  RunningGateway gateway(env, backpressure_settings(500ms));
  auto client = subscribed_client(gateway, "stalled");
  ASSERT_EQ(gateway.connection_count(), 1u);

  publish_many(env, relay);
  // The close frame cannot get past the unread data: the socket is closed
  // under the client after the handshake time-out, and the connection is gone.
  ASSERT_TRUE(gateway.wait_metric("marina_relay_query_slow_reader_drops_total", 1));
  EXPECT_EQ(gateway.metric("marina_relay_query_connections_closed_total{cause=\"slow_reader\"}"), 1);
  EXPECT_EQ(gateway.connection_count(), 0u);
}

TEST(SessionBackpressure, SlowReaderGetsTheDocumentedClose) {
  IngestEnv env;
  const std::string relay = env.add_relay("slow");
  RunningGateway gateway(env, backpressure_settings(10s));
  auto client = subscribed_client(gateway, "slow");

  publish_many(env, relay);
  // Every event went through the fan-out; the one that found the queue full
  // began the close.
  ASSERT_TRUE(gateway.wait_metric("marina_relay_query_live_events_total{result=\"delivered\"}", kEvents));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(gateway.connection_count(), 1u);  // still closing: the client has not read the close frame

  // The client reads at last: what was in flight, then the close frame.
  const auto closed = client->read_until_closed(10s);
  ASSERT_TRUE(closed.has_value());
  EXPECT_TRUE(closed->close_frame);
  EXPECT_EQ(closed->code, 1008);
  EXPECT_EQ(closed->reason, "too slow: more than " + std::to_string(kPendingBound) + " bytes waiting to be sent");
  EXPECT_TRUE(gateway.wait_metric("marina_relay_query_slow_reader_drops_total", 1));
}

}  // namespace
}  // namespace marina::relay_query::testing
