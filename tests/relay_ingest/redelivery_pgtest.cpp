// Entries whose first processing was cut short: a consumer that died holding
// them, this consumer restarting, a commit whose publish never happened, and
// the database or Redis going away mid-stream. None may be lost, and what was
// stored must reach marina:events.
#include <gtest/gtest.h>

#include "ingest_harness.hpp"
#include "marina/pg/pool.hpp"
#include "marina/store/event_store.hpp"
#include "marina/testing/pg_server.hpp"
#include "marina/testing/redis_server.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace marina::relay_ingest::testing {
namespace {

using nostr::SecretKey;

void wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
}

// Reads up to `n` new entries as consumer `name` and never acks them: a consumer that dies.
std::size_t read_and_die(const IngestEnv& env, const std::string& name, std::size_t n) {
  env.command({"XGROUP", "CREATE", std::string(streams::kIngestStream), std::string(streams::kIngestGroup), "0",
               "MKSTREAM"});
  const auto read = redis::parse_read(env.command({"XREADGROUP", "GROUP", std::string(streams::kIngestGroup), name,
                                                   "COUNT", std::to_string(n), "STREAMS",
                                                   std::string(streams::kIngestStream), ">"}));
  return read.empty() ? 0 : read[0].entries.size();
}

TEST(Redelivery, EntriesADeadConsumerHeldAreClaimedAndProcessed) {
  IngestEnv env;
  const std::string relay = env.add_relay("alpha");
  const auto alice = SecretKey::generate();
  for (int i = 0; i < 5; ++i) env.xadd(request_for(relay, signed_event(alice, 1, "held " + std::to_string(i))));
  ASSERT_EQ(read_and_die(env, "replica-that-died", 5), 5u);

  auto settings = test_settings("survivor");
  settings.claim_idle = 300ms;
  settings.claim_interval = 100ms;
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);
  const auto replies = env.wait_replies("query-1", 5);
  ASSERT_EQ(replies.size(), 5u);
  for (const auto& r : replies) EXPECT_TRUE(r.accepted) << r.message;
  EXPECT_EQ(env.stored_count(relay), 5u);
  EXPECT_EQ(env.events().size(), 5u);
  wait_until([&] { return env.pending() == 0; });
  EXPECT_EQ(env.pending(), 0);
  EXPECT_EQ(metric_value(ingester.metrics(), "marina_ingest_claimed_entries_total"), 5);
}

TEST(Redelivery, ARestartedConsumerFirstFinishesItsOwnPendingEntries) {
  IngestEnv env;
  const std::string relay = env.add_relay("alpha");
  const auto alice = SecretKey::generate();
  for (int i = 0; i < 5; ++i) env.xadd(request_for(relay, signed_event(alice, 1, "mine " + std::to_string(i))));
  ASSERT_EQ(read_and_die(env, "replica-1", 5), 5u);

  auto settings = test_settings("replica-1");
  settings.claim_idle = std::chrono::hours(1);  // nothing is claimed: only the own pending list can bring them back
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);
  const auto replies = env.wait_replies("query-1", 5);
  ASSERT_EQ(replies.size(), 5u);
  for (const auto& r : replies) EXPECT_TRUE(r.accepted) << r.message;
  wait_until([&] { return env.pending() == 0; });
  EXPECT_EQ(env.pending(), 0);
}

TEST(Redelivery, AnEventCommittedButNeverPublishedIsPublishedWhenItsEntryComesBack) {
  IngestEnv env;
  const std::string relay = env.add_relay("alpha");
  const auto alice = SecretKey::generate();
  const auto event = signed_event(alice, 1, "committed, then the process died");
  // The first attempt: stored and committed, then killed before publish and ack.
  {
    pg::PoolOptions o;
    o.url = env.db_url();
    o.size = 1;
    pg::Pool pool(o);
    store::EventStore store(pool);
    std::vector<store::WriteRequest> batch{store::WriteRequest{relay, event, "wss://alpha.relay.localhost"}};
    const auto results = marina::testing::run_async(
        [&]() -> boost::asio::awaitable<std::vector<store::WriteResult>> { co_return co_await store.write(batch); });
    ASSERT_TRUE(results.at(0).accepted);
  }
  env.xadd(request_for(relay, event));
  ASSERT_EQ(read_and_die(env, "replica-1", 1), 1u);

  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings("replica-1"));
  const auto replies = env.wait_replies("query-1", 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].accepted);
  const auto events = env.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_json, event.raw);

  // A client sending it again is a plain duplicate: not published again.
  env.xadd(request_for(relay, event));
  ASSERT_EQ(env.wait_replies("query-1", 2).size(), 2u);
  EXPECT_EQ(env.replies("query-1")[1].message, "duplicate: already have this event");
  EXPECT_EQ(env.events().size(), 1u);
}

TEST(Redelivery, NothingIsAckedWhileTheDatabaseIsDownAndAllIsStoredWhenItReturns) {
  marina::testing::PgServer pg;
  IngestEnv env(pg.create_database("ingest_outage"), private_redis_url());
  const std::string relay = env.add_relay("alpha");
  const auto alice = SecretKey::generate();
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());
  env.xadd(request_for(relay, signed_event(alice, 1, "before")));
  ASSERT_EQ(env.wait_replies("query-1", 1).size(), 1u);

  pg.stop();
  for (int i = 0; i < 20; ++i) env.xadd(request_for(relay, signed_event(alice, 1, "during " + std::to_string(i))));
  wait_until([&] { return env.pending() > 0; }, 5s);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(env.replies("query-1").size(), 1u);  // no OK before the commit
  // Not one of the 20 is acked: each is pending (read, held) or not read yet.
  EXPECT_GT(env.pending(), 0);
  EXPECT_EQ(env.pending() + env.undelivered(), 20);

  pg.start();
  const auto replies = env.wait_replies("query-1", 21, 60s);
  ASSERT_EQ(replies.size(), 21u);
  for (const auto& r : replies) EXPECT_TRUE(r.accepted) << r.message;
  EXPECT_EQ(env.stored_count(relay), 21u);
  EXPECT_EQ(env.events().size(), 21u);
  wait_until([&] { return env.pending() == 0; });
  EXPECT_EQ(env.pending(), 0);
  EXPECT_GT(metric_value(ingester.metrics(), "marina_ingest_retries_total{stage=\"store\"}"), 0);
}

TEST(Redelivery, ARedisRestartIsSurvivedWithoutARestartOfTheService) {
  marina::testing::RedisServer redis;
  IngestEnv env(marina::testing::shared_pg().fresh_database(), redis.url());
  const std::string relay = env.add_relay("alpha");
  const auto alice = SecretKey::generate();
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());
  env.xadd(request_for(relay, signed_event(alice, 1, "before")));
  ASSERT_EQ(env.wait_replies("query-1", 1).size(), 1u);

  redis.stop();
  std::this_thread::sleep_for(500ms);
  redis.start();
  for (int i = 0; i < 20; ++i) env.xadd(request_for(relay, signed_event(alice, 1, "after " + std::to_string(i))));
  const auto replies = env.wait_replies("query-1", 21, 30s);
  ASSERT_EQ(replies.size(), 21u);
  for (const auto& r : replies) EXPECT_TRUE(r.accepted) << r.message;
  EXPECT_EQ(env.stored_count(relay), 21u);
  EXPECT_EQ(ingester.failure(), "");
}

}  // namespace
}  // namespace marina::relay_ingest::testing
