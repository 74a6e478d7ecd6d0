// The fan-out: relay isolation, buffering until a REQ goes live, dedup of
// re-published events, one payload per (event, subscription id).
#include <gtest/gtest.h>

#include <thread>

#include "live_hub.hpp"
#include "marina/relay/private_events.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::relay_query {
namespace {

struct Delivery {
  std::shared_ptr<LiveSubscription> sub;
  std::shared_ptr<const std::string> payload;
};

class RecordingSink : public LiveSink {
 public:
  void deliver_live(const std::shared_ptr<LiveSubscription>& sub, std::shared_ptr<const std::string> payload,
                    std::int64_t) override {
    std::lock_guard lock(mu);
    deliveries.push_back({sub, std::move(payload)});
  }
  bool hold_buffered(std::size_t bytes) override {
    if (held + bytes > budget) return false;
    held += bytes;
    return true;
  }
  void release_buffered(std::size_t bytes) override { held -= bytes; }
  bool may_read(const nostr::Event& e) const override { return relay::readable_by(e, readers); }
  std::size_t count() {
    std::lock_guard lock(mu);
    return deliveries.size();
  }
  std::mutex mu;
  std::vector<Delivery> deliveries;
  std::size_t budget = 1 << 20;
  std::size_t held = 0;  // under the hub's lock
  std::vector<nostr::PublicKey> readers;  // the connection's authenticated pubkeys
};

std::shared_ptr<const LiveEvent> make_event(nostr::Kind kind, std::string content) {
  static const auto key = nostr::SecretKey::generate();
  nostr::EventTemplate t;
  t.created_at = 1700000000;
  t.kind = kind;
  t.content = std::move(content);
  auto live = std::make_shared<LiveEvent>();
  live->event = nostr::sign(t, key);
  return live;
}

nostr::Filter kinds(std::initializer_list<nostr::Kind> k) {
  nostr::Filter f;
  f.kinds = std::vector<nostr::Kind>(k);
  return f;
}

std::shared_ptr<LiveSubscription> subscribe(LiveHub& hub, const std::shared_ptr<RecordingSink>& sink,
                                            std::string relay, std::string id, nostr::Filter f, bool live = true) {
  auto sub = std::make_shared<LiveSubscription>(std::move(relay), std::move(id), std::vector<nostr::Filter>{f}, sink);
  hub.add(sub);
  if (live) {
    EXPECT_TRUE(hub.go_live(sub).events.empty());
  }
  return sub;
}

TEST(LiveHub, DeliversOnlyToMatchingSubscriptionsOfTheEventsRelay) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  auto a1 = subscribe(hub, sink, "relay-a", "s1", kinds({1}));
  auto a7 = subscribe(hub, sink, "relay-a", "s2", kinds({7}));
  auto b1 = subscribe(hub, sink, "relay-b", "s1", kinds({1}));
  const auto event = make_event(1, "hi");
  const PublishResult r = hub.publish("relay-a", event);
  EXPECT_EQ(r.outcome, PublishResult::Outcome::published);
  EXPECT_EQ(r.delivered, 1u);
  ASSERT_EQ(sink->deliveries.size(), 1u);
  EXPECT_EQ(sink->deliveries[0].sub, a1);
  EXPECT_EQ(*sink->deliveries[0].payload, "[\"EVENT\",\"s1\"," + event->event.raw + "]");
  EXPECT_EQ(hub.publish("relay-c", event).outcome, PublishResult::Outcome::no_subscribers);
  EXPECT_FALSE(hub.has_subscribers("relay-c"));
  EXPECT_TRUE(hub.has_subscribers("relay-b"));
}

TEST(LiveHub, SharesOnePayloadPerSubscriptionId) {
  LiveHub hub;
  auto sink1 = std::make_shared<RecordingSink>();
  auto sink2 = std::make_shared<RecordingSink>();
  subscribe(hub, sink1, "r", "feed", kinds({1}));
  subscribe(hub, sink2, "r", "feed", kinds({1}));
  subscribe(hub, sink2, "r", "other", nostr::Filter{});
  hub.publish("r", make_event(1, "x"));
  ASSERT_EQ(sink1->deliveries.size(), 1u);
  ASSERT_EQ(sink2->deliveries.size(), 2u);
  const auto& feed2 = sink2->deliveries[0].sub->id == "feed" ? sink2->deliveries[0] : sink2->deliveries[1];
  EXPECT_EQ(sink1->deliveries[0].payload.get(), feed2.payload.get()) << "built once, shared";
}

TEST(LiveHub, ARepublishedEventIsDeliveredOnce) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  subscribe(hub, sink, "r", "s", nostr::Filter{});
  const auto event = make_event(1, "once");
  EXPECT_EQ(hub.publish("r", event).outcome, PublishResult::Outcome::published);
  auto copy = std::make_shared<LiveEvent>(*event);  // the same event read again from the stream
  EXPECT_EQ(hub.publish("r", copy).outcome, PublishResult::Outcome::duplicate);
  EXPECT_EQ(sink->deliveries.size(), 1u);
}

TEST(LiveHub, TheDedupWindowIsBounded) {
  LiveHub hub(LiveHubOptions{.recent_ids = 16});
  auto sink = std::make_shared<RecordingSink>();
  subscribe(hub, sink, "r", "s", nostr::Filter{});
  const auto first = make_event(1, "first");
  hub.publish("r", first);
  for (int i = 0; i < 16; ++i) hub.publish("r", make_event(1, "filler " + std::to_string(i)));
  EXPECT_EQ(hub.publish("r", first).outcome, PublishResult::Outcome::published) << "forgotten after 16 newer ids";
}

TEST(LiveHub, BuffersUntilGoLiveThenDeliversDirectly) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  auto sub = subscribe(hub, sink, "r", "s", kinds({1}), /*live=*/false);
  const auto during = make_event(1, "during the stored query");
  const PublishResult r = hub.publish("r", during);
  EXPECT_EQ(r.buffered, 1u);
  EXPECT_EQ(r.delivered, 0u);
  EXPECT_TRUE(sink->deliveries.empty());
  LiveHub::Backlog backlog = hub.go_live(sub);
  EXPECT_FALSE(backlog.overflowed);
  ASSERT_EQ(backlog.events.size(), 1u);
  EXPECT_EQ(backlog.events[0]->event.id, during->event.id);
  hub.publish("r", make_event(1, "after"));
  EXPECT_EQ(sink->deliveries.size(), 1u);
}

TEST(LiveHub, ABufferThatOverflowsIsReportedNotGrown) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  sink->budget = 2000;  // the connection's budget, shared by its loading REQs
  auto first = subscribe(hub, sink, "r", "a", nostr::Filter{}, /*live=*/false);
  auto second = subscribe(hub, sink, "r", "b", kinds({7}), /*live=*/false);
  for (int i = 0; i < 20; ++i) hub.publish("r", make_event(1, std::string(100, 'x') + std::to_string(i)));
  EXPECT_EQ(sink->held, 0u) << "an overflowing subscription gives its bytes back";
  hub.publish("r", make_event(7, "reaction"));
  EXPECT_GT(sink->held, 0u);
  LiveHub::Backlog backlog = hub.go_live(first);
  EXPECT_TRUE(backlog.overflowed);
  EXPECT_TRUE(backlog.events.empty());
  LiveHub::Backlog other = hub.go_live(second);
  EXPECT_FALSE(other.overflowed);
  EXPECT_EQ(other.events.size(), 1u);
  EXPECT_EQ(sink->held, 0u) << "handed over with go_live";
}

TEST(LiveHub, RemovingABufferingSubscriptionReleasesItsBytes) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  auto sub = subscribe(hub, sink, "r", "s", nostr::Filter{}, /*live=*/false);
  hub.publish("r", make_event(1, "kept"));
  EXPECT_GT(sink->held, 0u);
  hub.remove(sub);
  EXPECT_EQ(sink->held, 0u);
}

TEST(LiveHub, RemovedSubscriptionsGetNothingAndEmptyRelaysAreDropped) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  auto sub = subscribe(hub, sink, "r", "s", nostr::Filter{});
  EXPECT_EQ(hub.subscription_count(), 1u);
  hub.remove(sub);
  hub.remove(sub);  // twice is harmless
  EXPECT_EQ(hub.subscription_count(), 0u);
  EXPECT_FALSE(hub.has_subscribers("r"));
  EXPECT_EQ(hub.publish("r", make_event(1, "late")).outcome, PublishResult::Outcome::no_subscribers);
  EXPECT_TRUE(sink->deliveries.empty());
}

TEST(LiveHub, DirectMessagesGoOnlyToConnectionsThatMayReadThem) {
  LiveHub hub;
  const auto alice = nostr::SecretKey::generate();
  const auto bob_key = nostr::public_key(nostr::SecretKey::generate());
  auto stranger = std::make_shared<RecordingSink>();
  auto bob = std::make_shared<RecordingSink>();
  bob->readers = {bob_key};
  auto anyone = std::make_shared<RecordingSink>();
  subscribe(hub, stranger, "relay-a", "dms", kinds({1, 4}));
  subscribe(hub, bob, "relay-a", "dms", kinds({1, 4}));
  subscribe(hub, anyone, "relay-a", "loading", kinds({4}), /*live=*/false);
  nostr::EventTemplate t;
  t.created_at = 1700000000;
  t.kind = 4;
  t.tags = {{"p", bob_key.hex()}};
  auto dm = std::make_shared<LiveEvent>();
  dm->event = nostr::sign(t, alice);
  const PublishResult r = hub.publish("relay-a", dm);
  EXPECT_EQ(r.delivered, 1u);
  EXPECT_EQ(r.buffered, 0u) << "nor kept for a loading REQ of a connection that may not read it";
  EXPECT_EQ(r.withheld, 2u);
  EXPECT_EQ(bob->count(), 1u);
  EXPECT_EQ(stranger->count(), 0u);
  hub.publish("relay-a", make_event(1, "public"));
  EXPECT_EQ(stranger->count(), 1u) << "other kinds are everyone's";
}

TEST(LiveHub, ConcurrentSubscribersAndPublisherAreSafe) {
  LiveHub hub;
  auto sink = std::make_shared<RecordingSink>();
  auto keeper = subscribe(hub, sink, "r", "keeper", kinds({1}));
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    auto other = std::make_shared<RecordingSink>();
    while (!stop) {
      auto s = std::make_shared<LiveSubscription>("r", "tmp", std::vector<nostr::Filter>{kinds({1})}, other);
      hub.add(s);
      (void)hub.go_live(s);
      hub.remove(s);
    }
  });
  for (int i = 0; i < 2000; ++i) hub.publish("r", make_event(1, "e" + std::to_string(i)));
  stop = true;
  churn.join();
  EXPECT_EQ(sink->count(), 2000u);
}

}  // namespace
}  // namespace marina::relay_query
