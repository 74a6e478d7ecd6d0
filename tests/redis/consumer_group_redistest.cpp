// A consumer group where one consumer dies holding entries and another takes
// them over: the way relay-ingest replicas recover each other's work.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <set>

#include "marina/redis/client.hpp"
#include "marina/testing/co_assert.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using marina::redis::Client;
using marina::testing::run_async;

marina::redis::Options options() { return marina::redis::parse_url(marina::testing::shared_redis().url()); }

awaitable<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(boost::asio::use_awaitable);
}

TEST(ConsumerGroup, EntriesOfADeadConsumerAreClaimedAndAckedByAnother) {
  const auto stream = marina::testing::unique_name("ingest");
  const std::string group = "ingest";
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client producer(ex, options());
    Client consumer_a(ex, options());
    Client consumer_b(ex, options());
    EXPECT_TRUE(co_await producer.xgroup_create(stream, group, "$"));
    std::set<std::string> produced;
    for (int i = 0; i < 5; ++i) {
      marina::redis::Fields fields{{"v", "1"}, {"n", std::to_string(i)}};
      produced.insert(co_await producer.xadd(stream, fields));
    }

    // A takes three and "dies": never acks them.
    marina::redis::ReadOptions three;
    three.count = 3;
    three.block = 1000ms;
    std::vector<marina::redis::StreamOffset> fresh{{stream, ">"}};
    auto taken_by_a = co_await consumer_a.xreadgroup(group, "a", fresh, three);
    MARINA_CO_ASSERT_EQ(taken_by_a.size(), 1u);
    MARINA_CO_ASSERT_EQ(taken_by_a[0].entries.size(), 3u);
    consumer_a.close();

    // B handles what is new, and acks it.
    marina::redis::ReadOptions rest;
    rest.block = 1000ms;
    auto taken_by_b = co_await consumer_b.xreadgroup(group, "b", fresh, rest);
    MARINA_CO_ASSERT_EQ(taken_by_b.size(), 1u);
    MARINA_CO_ASSERT_EQ(taken_by_b[0].entries.size(), 2u);
    std::vector<std::string> b_ids;
    for (const auto& e : taken_by_b[0].entries) b_ids.push_back(e.id);
    EXPECT_EQ(co_await consumer_b.xack(stream, group, b_ids), 2);

    // Before min-idle has passed, A's entries are not B's to take.
    auto too_early = co_await consumer_b.xautoclaim(stream, group, "b", 10s);
    EXPECT_TRUE(too_early.entries.empty());

    co_await sleep_for(300ms);
    auto claimed = co_await consumer_b.xautoclaim(stream, group, "b", 200ms, "0-0", 10);
    EXPECT_EQ(claimed.next_id, "0-0");  // the whole pending list was scanned
    EXPECT_TRUE(claimed.deleted_ids.empty());
    MARINA_CO_ASSERT_EQ(claimed.entries.size(), 3u);
    std::vector<std::string> claimed_ids;
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(claimed.entries[i].id, taken_by_a[0].entries[i].id);
      EXPECT_EQ(claimed.entries[i].fields, taken_by_a[0].entries[i].fields);  // the data comes along
      claimed_ids.push_back(claimed.entries[i].id);
    }
    EXPECT_EQ(co_await consumer_b.xack(stream, group, claimed_ids), 3);

    // Every entry was handled exactly once: nothing pending, and all five acked.
    auto pending = co_await producer.command("XPENDING", stream, group);
    EXPECT_EQ(pending.as_array()[0].as_integer(), 0);
    std::set<std::string> handled(b_ids.begin(), b_ids.end());
    handled.insert(claimed_ids.begin(), claimed_ids.end());
    EXPECT_EQ(handled, produced);
  });
}

// An entry trimmed away while pending is reported as deleted, not returned.
TEST(ConsumerGroup, AutoclaimReportsPendingEntriesThatNoLongerExist) {
  const auto stream = marina::testing::unique_name("ingest");
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    co_await redis.xgroup_create(stream, "g", "$");
    marina::redis::Fields fields{{"v", "1"}};
    auto id = co_await redis.xadd(stream, fields);
    std::vector<marina::redis::StreamOffset> fresh{{stream, ">"}};
    co_await redis.xreadgroup("g", "dead", fresh);
    co_await redis.command("XDEL", stream, id);
    auto claimed = co_await redis.xautoclaim(stream, "g", "alive", 0ms);
    EXPECT_TRUE(claimed.entries.empty());
    EXPECT_EQ(claimed.deleted_ids, (std::vector<std::string>{id}));
  });
}

}  // namespace
