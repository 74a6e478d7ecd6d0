// marina::redis::Client against a real Redis (the shared test server): every
// typed helper, pipelining, blocking reads.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <thread>

#include "marina/redis/client.hpp"
#include "marina/testing/co_assert.hpp"
#include "marina/testing/free_port.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using marina::redis::Client;
using marina::redis::Fields;
using marina::testing::run_async;

marina::redis::Options options() { return marina::redis::parse_url(marina::testing::shared_redis().url()); }

class RedisClient : public ::testing::Test {
 protected:
  // Keys of this test only: several test binaries share one server.
  std::string key(std::string_view name) const { return prefix_ + ":" + std::string(name); }
  std::string prefix_ = marina::testing::unique_name("t");
};

TEST_F(RedisClient, PingGetSetDel) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    co_await redis.ping();
    EXPECT_EQ(co_await redis.get(key("missing")), std::nullopt);
    auto reply = co_await redis.command("SET", key("a"), "1");
    EXPECT_EQ(reply.as_string(), "OK");
    EXPECT_EQ(co_await redis.get(key("a")), "1");
    std::vector<std::string> keys{key("a"), key("missing")};
    EXPECT_EQ(co_await redis.del(keys), 1);
    EXPECT_EQ(co_await redis.get(key("a")), std::nullopt);
  });
}

TEST_F(RedisClient, ErrorRepliesAreValuesFromCommandAndExceptionsFromHelpers) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    auto reply = co_await redis.command("NOSUCHCOMMAND");
    EXPECT_TRUE(reply.is_error());
    co_await redis.command("SET", key("s"), "text");
    try {
      co_await redis.incr_expire(key("s"), 10s);
      ADD_FAILURE() << "INCR on text succeeded";
    } catch (const marina::redis::CommandError& e) {
      EXPECT_NE(std::string(e.what()).find("not an integer"), std::string::npos) << e.what();
    }
  });
}

TEST_F(RedisClient, SetNxExSetsOnceWithATtl) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    EXPECT_TRUE(co_await redis.set_nx_ex(key("lock"), "owner-1", 30s));
    EXPECT_FALSE(co_await redis.set_nx_ex(key("lock"), "owner-2", 30s));
    EXPECT_EQ(co_await redis.get(key("lock")), "owner-1");
    auto ttl = (co_await redis.command("TTL", key("lock"))).as_integer();
    EXPECT_GT(ttl, 25);
    EXPECT_LE(ttl, 30);
  });
}

TEST_F(RedisClient, IncrExpireCountsAndSetsTheTtlOnce) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    EXPECT_EQ(co_await redis.incr_expire(key("n"), 10s), 1);
    EXPECT_EQ(co_await redis.incr_expire(key("n"), 10s), 2);
    auto pttl = (co_await redis.command("PTTL", key("n"))).as_integer();
    EXPECT_GT(pttl, 9000);
    EXPECT_LE(pttl, 10000);
    // A key that somehow lost its TTL gets one again.
    co_await redis.command("PERSIST", key("n"));
    EXPECT_EQ(co_await redis.incr_expire(key("n"), 5s), 3);
    EXPECT_GT((co_await redis.command("PTTL", key("n"))).as_integer(), 0);
  });
}

TEST_F(RedisClient, EvalRunsAScriptWithKeysAndArgs) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    std::vector<std::string> keys{key("k")};
    std::vector<std::string> args{"7"};
    auto reply = co_await redis.eval("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCRBY', KEYS[1], 3)", keys, args);
    EXPECT_EQ(reply.as_integer(), 10);
    std::vector<std::string> none;
    EXPECT_THROW(co_await redis.eval("return redis.error_reply('NOPE bad')", none, none), marina::redis::CommandError);
  });
}

TEST_F(RedisClient, XaddWithMaxlenKeepsTheStreamBounded) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    Fields fields{{"v", "1"}, {"body", "hello"}};
    marina::redis::XAddOptions exact;
    exact.maxlen = 5;
    exact.approximate = false;
    std::string last;
    for (int i = 0; i < 20; ++i) last = co_await redis.xadd(key("s"), fields, exact);
    EXPECT_EQ((co_await redis.command("XLEN", key("s"))).as_integer(), 5);
    EXPECT_NE(last.find('-'), std::string::npos);

    marina::redis::XAddOptions approx;
    approx.maxlen = 10;  // "~": trims whole nodes; never below 10
    for (int i = 0; i < 300; ++i) co_await redis.xadd(key("big"), fields, approx);
    auto len = (co_await redis.command("XLEN", key("big"))).as_integer();
    EXPECT_GE(len, 10);
    EXPECT_LT(len, 300);
  });
}

TEST_F(RedisClient, XreadReturnsEntriesAfterAnIdAndNothingOnTimeout) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    Fields one{{"n", "1"}};
    Fields two{{"n", "2"}};
    auto first = co_await redis.xadd(key("s"), one);
    co_await redis.xadd(key("s"), two);
    std::vector<marina::redis::StreamOffset> from_start{{key("s"), "0"}};
    auto batches = co_await redis.xread(from_start);
    MARINA_CO_ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].stream, key("s"));
    MARINA_CO_ASSERT_EQ(batches[0].entries.size(), 2u);
    EXPECT_EQ(batches[0].entries[0].id, first);
    EXPECT_EQ(*batches[0].entries[1].field("n"), "2");

    marina::redis::ReadOptions one_only;
    one_only.count = 1;
    EXPECT_EQ((co_await redis.xread(from_start, one_only))[0].entries.size(), 1u);

    marina::redis::ReadOptions short_block;
    short_block.block = 100ms;
    std::vector<marina::redis::StreamOffset> new_only{{key("s"), "$"}};
    EXPECT_TRUE((co_await redis.xread(new_only, short_block)).empty());
  });
}

// A blocked XREAD on its own client wakes up when another client adds an entry.
TEST_F(RedisClient, ABlockingReadOnItsOwnClientSeesANewEntry) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client reader(ex, options());
    Client writer(ex, options());
    co_await writer.ping();
    boost::asio::co_spawn(ex, [&]() -> awaitable<void> {
      boost::asio::steady_timer t(ex, 200ms);
      co_await t.async_wait(boost::asio::use_awaitable);
      Fields f{{"hello", "world"}};
      co_await writer.xadd(key("s"), f);
    }, boost::asio::detached);
    marina::redis::ReadOptions wait;
    wait.block = 5000ms;
    std::vector<marina::redis::StreamOffset> new_only{{key("s"), "$"}};
    auto started = std::chrono::steady_clock::now();
    auto batches = co_await reader.xread(new_only, wait);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    MARINA_CO_ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(*batches[0].entries[0].field("hello"), "world");
  });
}

TEST_F(RedisClient, XgroupCreateTreatsAnExistingGroupAsDone) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    EXPECT_TRUE(co_await redis.xgroup_create(key("s"), "g", "0"));   // MKSTREAM: the stream did not exist
    EXPECT_FALSE(co_await redis.xgroup_create(key("s"), "g", "0"));  // BUSYGROUP
    EXPECT_EQ((co_await redis.command("EXISTS", key("s"))).as_integer(), 1);
    co_await redis.command("SET", key("notastream"), "x");
    EXPECT_THROW(co_await redis.xgroup_create(key("notastream"), "g"), marina::redis::CommandError);
  });
}

// Many coroutines share one connection: every reply reaches the coroutine
// that sent the command, in the order Redis answered.
TEST_F(RedisClient, ConcurrentCommandsArePipelinedAndMatchedToTheirCallers) {
  constexpr int kCommands = 500;
  int matched = 0;
  std::vector<std::int64_t> order;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, options());
    co_await redis.ping();
    int finished = 0;
    for (int i = 0; i < kCommands; ++i) {
      boost::asio::co_spawn(ex, [&, i]() -> awaitable<void> {
        auto echo = co_await redis.command("ECHO", "value-" + std::to_string(i));
        if (echo.as_string() == "value-" + std::to_string(i)) ++matched;
        order.push_back((co_await redis.command("INCR", key("counter"))).as_integer());
        ++finished;
      }, boost::asio::detached);
    }
    while (finished < kCommands) {
      boost::asio::steady_timer t(ex, 5ms);
      co_await t.async_wait(boost::asio::use_awaitable);
    }
  });
  EXPECT_EQ(matched, kCommands);
  // Replies resume their callers in the order Redis executed the commands.
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kCommands));
  for (int i = 0; i < kCommands; ++i) EXPECT_EQ(order[i], i + 1);
}

// The client can be used from a thread other than the one running its executor.
TEST_F(RedisClient, CallersOnAnotherExecutorResumeThere) {
  boost::asio::io_context client_io;
  auto guard = boost::asio::make_work_guard(client_io);
  std::thread client_thread([&] { client_io.run(); });
  {
    Client redis(client_io.get_executor(), options());
    auto caller_thread = std::this_thread::get_id();
    run_async([&]() -> awaitable<void> {
      co_await redis.command("SET", key("x"), "y");
      EXPECT_EQ(std::this_thread::get_id(), caller_thread);
      EXPECT_EQ(co_await redis.get(key("x")), "y");
    });
  }
  guard.reset();
  client_thread.join();
}

TEST(RedisUnreachable, CommandsFailWithUnavailableQuickly) {
  auto o = marina::redis::parse_url("redis://127.0.0.1:" + std::to_string(marina::testing::free_port()));
  auto started = std::chrono::steady_clock::now();
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, o);
    for (int i = 0; i < 3; ++i) {
      try {
        co_await redis.ping();
        ADD_FAILURE() << "PING answered by nobody";
      } catch (const marina::redis::Unavailable&) {
      }
    }
    EXPECT_FALSE(redis.connected());
  });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(RedisUnreachable, AnUnknownHostNameFailsCleanly) {
  auto o = marina::redis::parse_url("redis://no-such-host.invalid:6379");
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    Client redis(ex, o);
    EXPECT_THROW(co_await redis.ping(), marina::redis::Unavailable);
  });
}

}  // namespace
