// The client across a Redis restart: commands during the outage fail cleanly
// with Unavailable, commands after it succeed on the same Client. Each test
// has its own server, since it takes it away.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <future>

#include "fast_reconnect.hpp"
#include "marina/asio/retry.hpp"
#include "marina/redis/client.hpp"
#include "marina/testing/redis_server.hpp"
#include "marina/testing/run.hpp"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using marina::redis::Client;
using marina::testing::run_async;
using marina::coro::sleep_for;
using marina::testing::fast_reconnect;
using Clock = std::chrono::steady_clock;

// Retries GET until it answers; returns how long that took.
awaitable<Clock::duration> until_answers(Client& redis, const std::string& key, std::optional<std::string>& value) {
  auto started = Clock::now();
  while (Clock::now() - started < 10s) {
    try {
      value = co_await redis.get(key);
      co_return Clock::now() - started;
    } catch (const marina::redis::Unavailable&) {
    }
    co_await sleep_for(20ms);
  }
  throw std::runtime_error("Redis did not come back within 10 s");
}

TEST(RedisRestart, CommandsFailDuringTheOutageAndSucceedAfterIt) {
  marina::testing::RedisServer server;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, fast_reconnect(server.url()));
    co_await redis.command("SET", "kept", "across-restart");
    EXPECT_TRUE(redis.connected());

    server.stop();
    for (int i = 0; i < 3; ++i) {
      auto started = Clock::now();
      EXPECT_THROW(co_await redis.command("SET", "during", "outage"), marina::redis::Unavailable);
      EXPECT_LT(Clock::now() - started, 2s);
      co_await sleep_for(50ms);
    }
    EXPECT_FALSE(redis.connected());

    server.start();
    std::optional<std::string> value;
    auto took = co_await until_answers(redis, "kept", value);
    EXPECT_LT(took, 2s);  // the backoff is capped at 200 ms here
    EXPECT_EQ(value, "across-restart");  // the append-only file kept it
    EXPECT_TRUE(redis.connected());
  });
}

// A blocking read in flight when Redis goes away fails with Unavailable at once.
TEST(RedisRestart, ACommandInFlightWhenRedisStopsFailsWithUnavailable) {
  marina::testing::RedisServer server;
  std::future<void> stopper;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, fast_reconnect(server.url()));
    co_await redis.ping();
    boost::asio::steady_timer t(ex, 200ms);
    t.async_wait([&](auto) { stopper = std::async(std::launch::async, [&] { server.stop(); }); });
    marina::redis::ReadOptions long_block;
    long_block.block = 30000ms;
    std::vector<marina::redis::StreamOffset> new_only{{"s", "$"}};
    auto started = Clock::now();
    EXPECT_THROW(co_await redis.xread(new_only, long_block), marina::redis::Unavailable);
    EXPECT_LT(Clock::now() - started, 5s);
  });
  stopper.get();
}

TEST(RedisRestart, ACrashedRedisIsRecoveredFromToo) {
  marina::testing::RedisServer server;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, fast_reconnect(server.url()));
    co_await redis.ping();
    server.kill();
    EXPECT_THROW(co_await redis.ping(), marina::redis::Unavailable);
    server.start();
    std::optional<std::string> value;
    co_await until_answers(redis, "anything", value);
    EXPECT_EQ(value, std::nullopt);
  });
}

// AUTH and SELECT come from the URL and are sent again on every reconnect.
TEST(RedisRestart, PasswordAndDatabaseApplyToEveryConnection) {
  marina::testing::RedisServer server;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    {
      Client admin(ex, fast_reconnect(server.url()));
      co_await admin.command("CONFIG", "SET", "requirepass", "s3cret");
      admin.close();
    }
    auto url = "redis://:s3cret@127.0.0.1:" + std::to_string(server.port()) + "/3";
    Client authed(ex, fast_reconnect(url));
    co_await authed.command("SET", "where", "db3");
    Client anonymous(ex, fast_reconnect(server.url()));
    auto refused = co_await anonymous.command("GET", "where");
    EXPECT_TRUE(refused.is_error());
    EXPECT_NE(refused.str.find("NOAUTH"), std::string::npos) << refused.str;

    Client db0(ex, fast_reconnect("redis://:s3cret@127.0.0.1:" + std::to_string(server.port()) + "/0"));
    EXPECT_EQ(co_await db0.get("where"), std::nullopt);

    // The requirepass does not survive a restart (not in a config file), but
    // the client re-authenticates and re-selects db 3 anyway, harmlessly.
    server.stop();
    server.start();
    std::optional<std::string> value;
    co_await until_answers(authed, "where", value);
    EXPECT_EQ(value, "db3");
  });
}

}  // namespace
