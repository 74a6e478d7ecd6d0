// The subscription lifecycle and broadcast logs (activity_log.hpp) against a
// real PostgreSQL: what the fan-out and the sessions record reaches the two
// tables in one flush, each relay keeps only its newest rows, and nothing is
// recorded with the bound at 0.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "activity_log.hpp"
#include "live_hub.hpp"
#include "live_subscription.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/pg/pool.hpp"
#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::relay_query {
namespace {

class NullSink : public LiveSink {
 public:
  void deliver_live(const std::shared_ptr<LiveSubscription>&, std::shared_ptr<const std::string>, std::int64_t) override {}
  bool hold_buffered(std::size_t) override { return true; }
  void release_buffered(std::size_t) override {}
  bool may_read(const nostr::Event&) const override { return true; }
};

std::shared_ptr<const LiveEvent> note(const nostr::SecretKey& key, std::string content) {
  nostr::EventTemplate t;
  t.created_at = 1700000000;
  t.kind = 1;
  t.content = std::move(content);
  auto live = std::make_shared<LiveEvent>();
  live->event = nostr::sign(t, key);
  return live;
}

class ActivityLogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { url_ = new std::string(store::testing::fresh_migrated_database()); }
  static void TearDownTestSuite() { delete url_; }

  ActivityLogTest() : pool_(store::testing::pool_options(*url_, 2)) {}

  std::shared_ptr<LiveSubscription> subscribe(LiveHub& hub, ActivityLog& log, const std::string& relay,
                                              const std::string& id, const std::string& client) {
    nostr::Filter f;
    f.kinds = std::vector<nostr::Kind>{1};
    auto sub = std::make_shared<LiveSubscription>(relay, id, std::vector<nostr::Filter>{f}, sink_);
    sub->client_id = client;
    log.subscription(*sub, "192.0.2.1", SubscriptionChange::created);
    hub.add(sub);
    hub.go_live(sub);
    return sub;
  }
  void flush(ActivityLog& log) {
    marina::testing::run_async([&]() { return log.flush(pool_); });
  }
  std::string query(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::work tx(conn);
    return tx.exec(sql)[0][0].c_str();
  }

  static std::string* url_;
  pg::Pool pool_;
  std::shared_ptr<NullSink> sink_ = std::make_shared<NullSink>();
  nostr::SecretKey key_ = nostr::SecretKey::generate();
};

std::string* ActivityLogTest::url_ = nullptr;

TEST_F(ActivityLogTest, SubscriptionsAndDeliveriesReachTheTablesInOneFlush) {
  ActivityLog log(100);
  LiveHub hub(LiveHubOptions{.activity = &log});
  const std::string relay = store::testing::new_relay_id();
  auto a = subscribe(hub, log, relay, "feed", "r1:1");
  auto b = subscribe(hub, log, relay, "feed", "r1:2");
  const auto event = note(key_, "hello");
  hub.publish(relay, event);
  log.subscription(*a, "192.0.2.1", SubscriptionChange::closed);
  hub.remove(a);
  log.subscription(*b, "192.0.2.1", SubscriptionChange::disconnected);
  EXPECT_EQ(query("SELECT count(*) FROM relay_subscription_log"), "0") << "nothing is written before the flush";
  flush(log);
  EXPECT_EQ(query("SELECT string_agg(client_id || ' ' || event_type, ',' ORDER BY id) FROM relay_subscription_log "
                  "WHERE relay_id = '" + relay + "'"),
            "r1:1 created,r1:2 created,r1:1 closed,r1:2 disconnected");
  EXPECT_EQ(query("SELECT filter_json FROM relay_subscription_log WHERE relay_id = '" + relay + "' ORDER BY id LIMIT 1"),
            R"([{"kinds":[1]}])");
  EXPECT_EQ(query("SELECT string_agg(client_id || ' ' || subscription_id || ' ' || event_id, ',' ORDER BY client_id) "
                  "FROM relay_broadcast_log WHERE relay_id = '" + relay + "'"),
            "r1:1 feed " + event->event.id.hex() + ",r1:2 feed " + event->event.id.hex());
  flush(log);
  EXPECT_EQ(query("SELECT count(*) FROM relay_broadcast_log WHERE relay_id = '" + relay + "'"), "2")
      << "a flush writes each row once";
}

TEST_F(ActivityLogTest, EachRelayKeepsOnlyItsNewestRows) {
  ActivityLog log(3);
  LiveHub hub(LiveHubOptions{.activity = &log});
  const std::string busy = store::testing::new_relay_id(), quiet = store::testing::new_relay_id();
  auto sub = subscribe(hub, log, busy, "s", "c:1");
  auto other = subscribe(hub, log, quiet, "s", "c:2");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto e = note(key_, "n" + std::to_string(i));
    ids.push_back(e->event.id.hex());
    hub.publish(busy, e);
  }
  hub.publish(quiet, note(key_, "q"));
  flush(log);  // at most 3 per relay leave memory
  EXPECT_EQ(query("SELECT count(*) FROM relay_broadcast_log WHERE relay_id = '" + busy + "'"), "3");
  for (int i = 0; i < 5; ++i) hub.publish(busy, note(key_, "m" + std::to_string(i)));
  flush(log);  // and the table is trimmed to 3 per relay
  EXPECT_EQ(query("SELECT count(*) FROM relay_broadcast_log WHERE relay_id = '" + busy + "'"), "3");
  EXPECT_EQ(query("SELECT count(*) FROM relay_broadcast_log WHERE relay_id = '" + quiet + "'"), "1")
      << "another relay's rows are not trimmed by a busy one";
  EXPECT_EQ(query("SELECT count(*) FROM relay_broadcast_log WHERE relay_id = '" + busy + "' AND event_id = '" + ids[4] +
                  "'"),
            "0")
      << "the oldest went first";
}

TEST_F(ActivityLogTest, ABoundOfZeroRecordsNothing) {
  ActivityLog log(0);
  LiveHub hub(LiveHubOptions{.activity = &log});
  const std::string relay = store::testing::new_relay_id();
  auto sub = subscribe(hub, log, relay, "s", "c:1");
  hub.publish(relay, note(key_, "x"));
  flush(log);
  EXPECT_FALSE(log.enabled());
  EXPECT_EQ(query("SELECT count(*) FROM relay_subscription_log WHERE relay_id = '" + relay + "'"), "0");
  EXPECT_EQ(query("SELECT count(*) FROM relay_broadcast_log WHERE relay_id = '" + relay + "'"), "0");
}

}  // namespace
}  // namespace marina::relay_query
