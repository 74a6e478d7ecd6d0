// marina::pg::Pool against a real PostgreSQL (the shared test server).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>

#include "marina/pg/pool.hpp"
#include "marina/testing/free_port.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using marina::testing::run_async;
using Clock = std::chrono::steady_clock;

marina::pg::PoolOptions options_for(std::string url, std::size_t size = 4) {
  marina::pg::PoolOptions o;
  o.url = std::move(url);
  o.size = size;
  o.acquire_timeout = 5s;
  return o;
}

class PoolTest : public ::testing::Test {
 protected:
  std::string url_ = marina::testing::shared_pg().fresh_database();
};

TEST_F(PoolTest, TransactionReturnsWhatTheFunctionReturns) {
  marina::pg::Pool pool(options_for(url_));
  int v = run_async([&]() -> awaitable<int> {
    co_return co_await pool.transaction([](pqxx::work& tx) { return tx.exec1("SELECT 40 + 2")[0].as<int>(); });
  });
  EXPECT_EQ(v, 42);
}

TEST_F(PoolTest, CommittedWritesAreVisibleToLaterCalls) {
  marina::pg::Pool pool(options_for(url_));
  auto count = run_async([&]() -> awaitable<int> {
    co_await pool.run([](pqxx::connection& conn) {
      pqxx::nontransaction tx(conn);
      tx.exec("CREATE TABLE notes (body text)");
    });
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("INSERT INTO notes VALUES ('a'), ('b')"); });
    co_return co_await pool.transaction([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM notes")[0].as<int>(); });
  });
  EXPECT_EQ(count, 2);
}

TEST_F(PoolTest, ExceptionInTheFunctionRollsBackAndPassesThrough) {
  marina::pg::Pool pool(options_for(url_));
  auto count = run_async([&]() -> awaitable<int> {
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("CREATE TABLE notes (body text)"); });
    try {
      co_await pool.transaction([](pqxx::work& tx) {
        tx.exec("INSERT INTO notes VALUES ('lost')");
        throw std::logic_error("caller's own failure");
      });
      ADD_FAILURE() << "the exception did not reach the caller";
    } catch (const std::logic_error& e) {
      EXPECT_STREQ(e.what(), "caller's own failure");
    }
    co_return co_await pool.transaction([](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM notes")[0].as<int>(); });
  });
  EXPECT_EQ(count, 0);
}

TEST_F(PoolTest, PreparedStatementsWorkOnEveryConnectionIncludingLaterRegistrations) {
  marina::pg::Pool pool(options_for(url_, 3));
  pool.prepare("plus_one", "SELECT $1::int + 1");
  auto results = run_async([&]() -> awaitable<std::vector<int>> {
    // Warm every connection before the second statement is registered.
    std::vector<int> out;
    for (int i = 0; i < 3; ++i)
      out.push_back(co_await pool.transaction([i](pqxx::work& tx) { return tx.exec_prepared1("plus_one", i)[0].as<int>(); }));
    pool.prepare("times_two", "SELECT $1::int * 2");
    pool.prepare("times_two", "SELECT $1::int * 2");  // same again: harmless
    for (int i = 0; i < 3; ++i)
      out.push_back(co_await pool.transaction([i](pqxx::work& tx) { return tx.exec_prepared1("times_two", i)[0].as<int>(); }));
    co_return out;
  });
  EXPECT_EQ(results, (std::vector<int>{1, 2, 3, 0, 2, 4}));
  EXPECT_THROW(pool.prepare("times_two", "SELECT 0"), std::invalid_argument);
}

TEST_F(PoolTest, StatementTimeoutIsATimeoutError) {
  auto o = options_for(url_, 1);
  o.statement_timeout = 200ms;
  marina::pg::Pool pool(o);
  auto started = Clock::now();
  run_async([&]() -> awaitable<void> {
    try {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(10)"); });
      ADD_FAILURE() << "pg_sleep(10) finished under a 200 ms statement timeout";
    } catch (const marina::pg::Timeout& e) {
      EXPECT_EQ(e.sqlstate(), "57014");
    }
    // The connection survives a timeout.
    co_await pool.ping();
  });
  EXPECT_LT(Clock::now() - started, 5s);
}

TEST_F(PoolTest, PerTransactionTimeoutAppliesToThatTransactionOnly) {
  marina::pg::Pool pool(options_for(url_, 1));
  auto setting = run_async([&]() -> awaitable<std::string> {
    marina::pg::TxOptions quick;
    quick.statement_timeout = 100ms;
    try {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(10)"); }, quick);
      ADD_FAILURE() << "no timeout";
    } catch (const marina::pg::Timeout&) {
    }
    co_return co_await pool.transaction([](pqxx::work& tx) { return tx.exec1("SHOW statement_timeout")[0].as<std::string>(); });
  });
  EXPECT_EQ(setting, "30s");  // the pool's default, back on the same (only) connection
}

TEST_F(PoolTest, ReadOnlyTransactionRefusesWrites) {
  marina::pg::Pool pool(options_for(url_, 1));
  run_async([&]() -> awaitable<void> {
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("CREATE TABLE notes (body text)"); });
    marina::pg::TxOptions ro;
    ro.read_only = true;
    try {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("INSERT INTO notes VALUES ('x')"); }, ro);
      ADD_FAILURE() << "read-only transaction wrote";
    } catch (const marina::pg::QueryError& e) {
      EXPECT_EQ(e.sqlstate(), "25006");
    }
  });
}

TEST_F(PoolTest, UniqueViolationNamesTheConstraint) {
  marina::pg::Pool pool(options_for(url_));
  run_async([&]() -> awaitable<void> {
    co_await pool.transaction([](pqxx::work& tx) {
      tx.exec("CREATE TABLE accounts (name text CONSTRAINT accounts_name_key UNIQUE)");
      tx.exec("INSERT INTO accounts VALUES ('alice')");
    });
    try {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("INSERT INTO accounts VALUES ('alice')"); });
      ADD_FAILURE() << "duplicate accepted";
    } catch (const marina::pg::UniqueViolation& e) {
      EXPECT_EQ(e.constraint(), "accounts_name_key");
      EXPECT_EQ(e.sqlstate(), "23505");
    }
  });
}

TEST_F(PoolTest, SyntaxErrorIsAQueryErrorWithItsSqlstate) {
  marina::pg::Pool pool(options_for(url_));
  run_async([&]() -> awaitable<void> {
    try {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELEKT 1"); });
      ADD_FAILURE() << "accepted";
    } catch (const marina::pg::QueryError& e) {
      EXPECT_EQ(e.sqlstate(), "42601");
    }
  });
}

// Two long queries hold both connections; a third call gives up after the
// acquire timeout, long before either finishes, and both long ones complete.
TEST_F(PoolTest, CallsBeyondThePoolSizeWaitThenFailWithAcquireTimeout) {
  auto o = options_for(url_, 2);
  o.acquire_timeout = 200ms;
  marina::pg::Pool pool(o);
  int finished = 0;
  Clock::duration third_waited{};
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    auto slow = [&]() -> awaitable<void> {
      co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(1.5)"); });
      ++finished;
    };
    boost::asio::co_spawn(ex, slow(), boost::asio::detached);
    boost::asio::co_spawn(ex, slow(), boost::asio::detached);
    boost::asio::steady_timer settle(ex, 300ms);
    co_await settle.async_wait(boost::asio::use_awaitable);
    EXPECT_EQ(pool.stats().busy, 2u);
    auto started = Clock::now();
    try {
      co_await pool.ping();
      ADD_FAILURE() << "a third call got a connection from a pool of two";
    } catch (const marina::pg::AcquireTimeout&) {
      third_waited = Clock::now() - started;
    }
    while (finished < 2) {
      boost::asio::steady_timer tick(ex, 50ms);
      co_await tick.async_wait(boost::asio::use_awaitable);
    }
  });
  EXPECT_EQ(finished, 2);
  EXPECT_GE(third_waited, 150ms);
  EXPECT_LT(third_waited, 1000ms);
  EXPECT_LE(pool.stats().open, 2u);
}

TEST_F(PoolTest, AWaiterGetsTheNextFreeConnection) {
  auto o = options_for(url_, 1);
  o.acquire_timeout = 5s;
  marina::pg::Pool pool(o);
  std::vector<int> order;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    auto call = [&](int id, const char* sql) -> awaitable<void> {
      co_await pool.transaction([sql](pqxx::work& tx) { tx.exec(sql); });
      order.push_back(id);
    };
    boost::asio::co_spawn(ex, call(1, "SELECT pg_sleep(0.3)"), boost::asio::detached);
    boost::asio::co_spawn(ex, call(2, "SELECT 1"), boost::asio::detached);
    boost::asio::co_spawn(ex, call(3, "SELECT 1"), boost::asio::detached);
    while (order.size() < 3) {
      boost::asio::steady_timer tick(ex, 20ms);
      co_await tick.async_wait(boost::asio::use_awaitable);
    }
  });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));  // first come, first served
}

// The database call runs on the pool's threads: the caller's (single) I/O
// thread keeps serving timers while a query sleeps.
TEST_F(PoolTest, AQueryDoesNotBlockTheCallersThread) {
  marina::pg::Pool pool(options_for(url_, 1));
  int ticks = 0;
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    bool done = false;
    boost::asio::co_spawn(ex, [&]() -> awaitable<void> {
      while (!done) {
        boost::asio::steady_timer tick(ex, 20ms);
        co_await tick.async_wait(boost::asio::use_awaitable);
        ++ticks;
      }
    }, boost::asio::detached);
    co_await pool.transaction([](pqxx::work& tx) { tx.exec("SELECT pg_sleep(0.5)"); });
    done = true;
  });
  EXPECT_GE(ticks, 10);
}

TEST(PoolUnreachable, ACallFailsWithUnavailableWithinTheConnectTimeout) {
  // Nothing listens on this port.
  auto o = options_for("postgresql://postgres@127.0.0.1:" + std::to_string(marina::testing::free_port()) + "/x", 1);
  o.connect_timeout = 2s;
  marina::pg::Pool pool(o);
  auto started = Clock::now();
  EXPECT_THROW(run_async([&]() -> awaitable<void> { co_await pool.ping(); }), marina::pg::Unavailable);
  EXPECT_LT(Clock::now() - started, 3s);
  EXPECT_EQ(pool.stats().open, 0u);
}

}  // namespace
