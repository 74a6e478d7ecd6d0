// The stream follower against real Redis: it starts after what the stream
// already holds (at start() when called), reads new entries in order,
// resumes after its last entry when Redis comes back (nothing added meanwhile
// is lost), and stops at once when its connection is closed.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>

#include "fast_reconnect.hpp"
#include "marina/asio/retry.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/stream_follower.hpp"
#include "marina/testing/redis_server.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace marina::redis {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using Clock = std::chrono::steady_clock;
using coro::sleep_for;
using testing::fast_reconnect;

awaitable<std::string> add(Client& redis, const std::string& stream, const std::string& value) {
  const Fields fields{{"value", value}};
  for (auto started = Clock::now(); Clock::now() - started < 10s;) {
    try {
      co_return co_await redis.xadd(stream, fields);
    } catch (const Unavailable&) {
    }
    co_await sleep_for(20ms);
  }
  throw std::runtime_error("Redis did not come back within 10 s");
}

std::vector<std::string> values(const std::vector<StreamEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(*e.field("value"));
  return out;
}

// The values of the next `count` entries the follower returns (fewer if ten reads do not bring them).
awaitable<std::vector<std::string>> read_values(StreamFollower& follower, std::size_t count) {
  std::vector<std::string> got;
  for (int i = 0; i < 10 && got.size() < count; ++i) {
    for (auto& v : values((co_await follower.next()).entries)) got.push_back(v);
  }
  co_return got;
}

TEST(StreamFollower, StartsAfterWhatIsThereAndReadsNewEntriesInOrder) {
  const std::string url = testing::shared_redis().url();
  const std::string stream = testing::unique_name("follower");
  testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client writer(ex, parse_url(url));
    Client reader(ex, parse_url(url));
    co_await add(writer, stream, "before");
    StreamFollower follower(reader, stream, StreamFollowerOptions{.block = 200ms});
    StreamFollower::Batch first = co_await follower.next();
    EXPECT_TRUE(first.entries.empty()) << "entries older than the follower are not read";
    for (const char* v : {"one", "two", "three"}) co_await add(writer, stream, v);
    const std::vector<std::string> got = co_await read_values(follower, 3);
    EXPECT_EQ(got, (std::vector<std::string>{"one", "two", "three"}));
    writer.close();
    reader.close();
  });
}

TEST(StreamFollower, StartPositionsItBeforeItsFirstRead) {
  const std::string stream = testing::unique_name("follower");
  testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, parse_url(testing::shared_redis().url()));
    Client blocking(ex, parse_url(testing::shared_redis().url()));
    co_await add(redis, stream, "old");
    StreamFollower follower(blocking, stream, StreamFollowerOptions{.block = 200ms});
    co_await follower.start();
    // Added after start() but before the first next(): a snapshot loaded
    // between the two misses nothing.
    co_await add(redis, stream, "after start");
    const std::vector<std::string> first = co_await read_values(follower, 1);
    EXPECT_EQ(first, (std::vector<std::string>{"after start"}));
    redis.close();
    blocking.close();
  });
}

TEST(StreamFollower, ResumesAfterItsLastEntryWhenRedisComesBack) {
  testing::RedisServer server;
  const std::string stream = "marina:events";
  testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client writer(ex, fast_reconnect(server.url()));
    Client reader(ex, fast_reconnect(server.url()));
    StreamFollower follower(reader, stream, StreamFollowerOptions{.block = 200ms, .retry_min = 20ms, .retry_max = 100ms});
    (void)co_await follower.next();  // positioned at the (empty) stream's end
    co_await add(writer, stream, "a");
    std::vector<std::string> got;
    bool resumed = false;
    bool collecting = true;
    // The follower keeps reading in its own coroutine while Redis goes away.
    // (A named lambda: its captures must outlive the coroutine it starts.)
    auto collect = [&]() -> awaitable<void> {
      while (got.size() < 3) {
        auto batch = co_await follower.next();
        resumed = resumed || batch.resumed;
        for (auto& v : values(batch.entries)) got.push_back(v);
      }
      collecting = false;
    };
    boost::asio::co_spawn(ex, collect(), boost::asio::detached);
    while (got.empty()) co_await sleep_for(10ms);
    server.stop();
    co_await sleep_for(300ms);  // the follower's read fails and it starts retrying
    server.start();
    // Added before the follower has reconnected: still read, in order.
    co_await add(writer, stream, "b");
    co_await add(writer, stream, "c");
    for (auto started = Clock::now(); collecting && Clock::now() - started < 10s;) co_await sleep_for(20ms);
    EXPECT_EQ(got, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(resumed) << "the first batch after the outage says so (the caller reconciles)";
    follower.stop();
    writer.close();
    reader.close();
  });
}

TEST(StreamFollower, StopAndCloseEndABlockingReadAtOnce) {
  const std::string url = testing::shared_redis().url();
  testing::run_async(
      [&]() -> awaitable<void> {
        auto ex = co_await boost::asio::this_coro::executor;
        Client reader(ex, parse_url(url));
        StreamFollower follower(reader, testing::unique_name("quiet"), StreamFollowerOptions{.block = 30s});
        bool returned = false;
        StreamFollower::Batch last;
        auto read = [&]() -> awaitable<void> {
          while (!follower.stopped()) last = co_await follower.next();
          returned = true;
        };
        boost::asio::co_spawn(ex, read(), boost::asio::detached);
        co_await sleep_for(300ms);  // now inside XREAD BLOCK 30000
        const auto stopped_at = Clock::now();
        follower.stop();
        reader.close();  // what relay-query's shutdown hook does
        while (!returned && Clock::now() - stopped_at < 5s) co_await sleep_for(10ms);
        EXPECT_TRUE(returned);
        EXPECT_LT(Clock::now() - stopped_at, 2s);
        EXPECT_TRUE(last.entries.empty());
      },
      10s);
}

}  // namespace
}  // namespace marina::redis
