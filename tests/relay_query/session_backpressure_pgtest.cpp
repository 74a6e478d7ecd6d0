// Back-pressure, in process against real PostgreSQL and Redis: a client that
// does not read while live events keep coming is dropped once more than
// RELAY_MAX_PENDING_BYTES wait for it, with close 1008 "too slow: ...".
#include <gtest/gtest.h>

#include <string>

#include "marina/nostr/keys.hpp"
#include "query_harness.hpp"

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

// Subscribes to every kind-1 event and reads up to EOSE; then the test stops reading.
void subscribe(WsClient& client) {
  client.send(std::string(R"(["REQ","live",{"kinds":[1]}])"));
  EXPECT_EQ(client.read(), json::parse(R"(["EOSE","live"])"));
}

// A receive buffer this small makes the kernel stop taking data early.
const WsClientOptions kSmallReceiveBuffer{.receive_buffer_bytes = 4096};

void publish_many(const IngestEnv& env, const std::string& relay) {
  const auto key = nostr::SecretKey::generate();
  for (int i = 0; i < kEvents; ++i) publish_accepted(env, relay, signed_event(key, 1, std::to_string(i) + kPadding));
}

TEST(SessionBackpressure, ReaderThatNeverReadsIsDropped) {
  OneConnection t("stalled", backpressure_settings(500ms), kSmallReceiveBuffer);
  subscribe(t.client);
  ASSERT_EQ(t.gateway.connection_count(), 1u);

  publish_many(t.env, t.relay_id);
  // The close frame cannot get past the unread data: the socket is closed
  // under the client after the handshake time-out, and the connection is gone.
  ASSERT_TRUE(t.gateway.wait_metric("marina_relay_query_slow_reader_drops_total", 1));
  EXPECT_EQ(t.gateway.metric("marina_relay_query_connections_closed_total{cause=\"slow_reader\"}"), 1);
  EXPECT_EQ(t.gateway.connection_count(), 0u);
}

TEST(SessionBackpressure, SlowReaderGetsTheDocumentedClose) {
  OneConnection t("slow", backpressure_settings(10s), kSmallReceiveBuffer);
  subscribe(t.client);

  publish_many(t.env, t.relay_id);
  // Every event went through the fan-out; the one that found the queue full
  // began the close.
  ASSERT_TRUE(t.gateway.wait_metric("marina_relay_query_live_events_total{result=\"delivered\"}", kEvents));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(t.gateway.connection_count(), 1u);  // still closing: the client has not read the close frame

  // The client reads at last: what was in flight, then the close frame.
  const auto closed = t.client.read_until_closed(10s);
  ASSERT_TRUE(closed.has_value());
  EXPECT_TRUE(closed->close_frame);
  EXPECT_EQ(closed->code, 1008);
  EXPECT_EQ(closed->reason, "too slow: more than " + std::to_string(kPendingBound) + " bytes waiting to be sent");
  EXPECT_TRUE(t.gateway.wait_metric("marina_relay_query_slow_reader_drops_total", 1));
}

}  // namespace
}  // namespace marina::relay_query::testing
