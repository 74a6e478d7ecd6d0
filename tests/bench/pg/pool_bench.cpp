// What one database call costs through marina::pg::Pool: the hop to a pool
// thread and back plus a round trip to PostgreSQL (SELECT 1 on the shared
// test server), alone and with many calls in flight.
#include <benchmark/benchmark.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "marina/pg/pool.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace {

using boost::asio::awaitable;

marina::pg::Pool& pool() {
  static marina::pg::Pool instance([] {
    marina::pg::PoolOptions o;
    o.url = marina::testing::shared_pg().url();
    o.size = 4;
    return o;
  }());
  return instance;
}

awaitable<int> select_one() {
  co_return co_await pool().transaction([](pqxx::work& tx) { return tx.exec1("SELECT 1")[0].as<int>(); });
}

void BM_TransactionRoundTrip(benchmark::State& state) {
  marina::testing::run_async([&]() -> awaitable<void> {
    co_await select_one();  // the server and the first connection, outside the measurement
    for (auto _ : state) benchmark::DoNotOptimize(co_await select_one());
  });
}
BENCHMARK(BM_TransactionRoundTrip)->UseRealTime();

// `range(0)` calls at once on a pool of 4: throughput when the pool is the bottleneck.
void BM_ConcurrentTransactions(benchmark::State& state) {
  const int in_flight = static_cast<int>(state.range(0));
  marina::testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    co_await select_one();
    for (auto _ : state) {
      // The last call to finish wakes the loop: a timer used as a condition variable.
      int done = 0;
      boost::asio::steady_timer all_done(ex, boost::asio::steady_timer::time_point::max());
      for (int i = 0; i < in_flight; ++i)
        boost::asio::co_spawn(ex, [&]() -> awaitable<void> {
          co_await select_one();
          if (++done == in_flight) all_done.cancel();
        }, boost::asio::detached);
      co_await all_done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
  });
  state.SetItemsProcessed(state.iterations() * in_flight);
}
BENCHMARK(BM_ConcurrentTransactions)->Arg(4)->Arg(32)->UseRealTime();

}  // namespace
