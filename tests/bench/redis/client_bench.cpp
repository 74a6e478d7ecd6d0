// What a Redis command costs through marina::redis::Client: one at a time
// (a round trip each) and pipelined (many coroutines on one connection),
// against the shared test server.
#include <benchmark/benchmark.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "marina/redis/client.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace {

using boost::asio::awaitable;

marina::redis::Options options() { return marina::redis::parse_url(marina::testing::shared_redis().url()); }

void BM_CommandRoundTrip(benchmark::State& state) {
  marina::testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    marina::redis::Client redis(ex, options());
    co_await redis.ping();
    for (auto _ : state) benchmark::DoNotOptimize(co_await redis.command("INCR", "bench:counter"));
  });
}
BENCHMARK(BM_CommandRoundTrip)->UseRealTime();

// `range(0)` commands in flight at once on one connection.
void BM_PipelinedCommands(benchmark::State& state) {
  const int in_flight = static_cast<int>(state.range(0));
  marina::testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    marina::redis::Client redis(ex, options());
    co_await redis.ping();
    for (auto _ : state) {
      // The last call to finish wakes the loop: a timer used as a condition variable.
      int done = 0;
      boost::asio::steady_timer all_done(ex, boost::asio::steady_timer::time_point::max());
      for (int i = 0; i < in_flight; ++i)
        boost::asio::co_spawn(ex, [&]() -> awaitable<void> {
          co_await redis.command("INCR", "bench:counter");
          if (++done == in_flight) all_done.cancel();
        }, boost::asio::detached);
      co_await all_done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
  });
  state.SetItemsProcessed(state.iterations() * in_flight);
}
BENCHMARK(BM_PipelinedCommands)->Arg(16)->Arg(256)->UseRealTime();

// XADD with MAXLEN ~, as relay-ingest publishes accepted events.
void BM_XaddApproximateMaxlen(benchmark::State& state) {
  marina::testing::run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    marina::redis::Client redis(ex, options());
    marina::redis::Fields fields{{"v", "1"}, {"relay", "r1"}, {"event", std::string(400, 'x')}};
    marina::redis::XAddOptions trim;
    trim.maxlen = 10000;
    for (auto _ : state) benchmark::DoNotOptimize(co_await redis.xadd("bench:events", fields, trim));
  });
}
BENCHMARK(BM_XaddApproximateMaxlen)->UseRealTime();

}  // namespace
