// The pool across a PostgreSQL restart: calls during the outage fail cleanly
// and quickly; calls after it succeed on the same Pool, without a restart of
// the caller. Each test has its own server, since it takes it away.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "marina/pg/pool.hpp"
#include "marina/testing/pg_server.hpp"
#include "marina/testing/run.hpp"

// libpqxx 6.4 does not free the PGresult of a statement the server interrupts
// by shutting down (about 2 kB per such statement, in its exec path); without
// this a sanitizer build (MARINA_SANITIZE) fails this test for a third-party leak.
extern "C" __attribute__((used)) const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using marina::testing::run_async;
using Clock = std::chrono::steady_clock;

marina::pg::PoolOptions options_for(const std::string& url) {
  marina::pg::PoolOptions o;
  o.url = url;
  o.size = 3;
  o.acquire_timeout = 2s;
  o.connect_timeout = 2s;
  return o;
}

int count_rows(marina::pg::Pool& pool) {
  return run_async([&]() -> awaitable<int> {
    co_return co_await pool.transaction([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM marks")[0].as<int>(); });
  });
}

void add_row(marina::pg::Pool& pool) {
  run_async([&]() -> awaitable<void> {
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("INSERT INTO marks DEFAULT VALUES"); });
  });
}

// Fills the pool with open, idle connections, so the restart has some to break.
void warm(marina::pg::Pool& pool) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    int done = 0;
    for (int i = 0; i < 3; ++i)
      boost::asio::co_spawn(ex, [&]() -> awaitable<void> {
        co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(0.1)"); });
        ++done;
      }, boost::asio::detached);
    while (done < 3) {
      boost::asio::steady_timer t(ex, 20ms);
      co_await t.async_wait(boost::asio::use_awaitable);
    }
  });
}

TEST(PgRestart, CallsFailDuringTheOutageAndSucceedAfterIt) {
  marina::testing::PgServer server;
  marina::pg::Pool pool(options_for(server.url()));
  run_async([&]() -> awaitable<void> {
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("CREATE TABLE marks (id serial)"); });
  });
  warm(pool);
  add_row(pool);
  EXPECT_EQ(pool.stats().open, 3u);

  server.stop();
  for (int i = 0; i < 3; ++i) {
    auto started = Clock::now();
    EXPECT_THROW(add_row(pool), marina::pg::Unavailable);
    EXPECT_LT(Clock::now() - started, 3s);
  }
  EXPECT_EQ(pool.stats().open, 0u);  // nothing broken was kept

  server.start();
  // The very first call after the restart succeeds: no stale connection is handed out.
  add_row(pool);
  EXPECT_EQ(count_rows(pool), 2);
}

TEST(PgRestart, ACrashedServerIsRecoveredFromToo) {
  marina::testing::PgServer server;
  marina::pg::Pool pool(options_for(server.url()));
  run_async([&]() -> awaitable<void> {
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("CREATE TABLE marks (id serial)"); });
  });
  warm(pool);
  add_row(pool);

  server.kill();
  EXPECT_THROW(add_row(pool), marina::pg::Unavailable);
  server.start();
  add_row(pool);
  EXPECT_EQ(count_rows(pool), 2);
}

// A query running when the server goes down fails promptly with Unavailable
// instead of waiting for its own end.
TEST(PgRestart, AQueryInFlightWhenTheServerStopsFailsWithUnavailable) {
  marina::testing::PgServer server;
  marina::pg::Pool pool(options_for(server.url()));
  std::future<void> stopper;
  Clock::duration failed_after{};
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer t(ex, 300ms);
    // Stop the server from another thread while the query sleeps (stop() blocks until it is gone).
    t.async_wait([&](auto) { stopper = std::async(std::launch::async, [&] { server.stop(); }); });
    auto started = Clock::now();
    try {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(30)"); });
      ADD_FAILURE() << "the query outlived the server";
    } catch (const marina::pg::Unavailable&) {
      failed_after = Clock::now() - started;
    }
  });
  stopper.get();
  EXPECT_LT(failed_after, 10s);
  server.start();
  run_async([&]() -> awaitable<void> { co_await pool.ping(); });
}

}  // namespace
