// What the runtime costs per request before a handler does anything: routing
// (a pattern match with parameters) and the metrics a server records.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "marina/http/router.hpp"
#include "marina/metrics/registry.hpp"

namespace {

namespace asio = boost::asio;
using marina::http::Request;
using marina::http::Response;

marina::http::Router api_like_router() {
  marina::http::Router r;
  auto ok = [](Request&) -> asio::awaitable<Response> { co_return Response::empty(204); };
  for (const char* p : {"/tenant", "/tenant/relays", "/tenant/relays/:id", "/tenant/relays/:id/config",
                        "/tenant/relays/:id/rules/:rule", "/tenant/invoices", "/tenant/invoices/:id", "/admin/tenants",
                        "/admin/tenants/:pubkey", "/admin/relays/:id/suspend", "/plans"}) {
    r.get(p, ok);
    r.put(p, ok);
  }
  return r;
}

void BM_RouterDispatch(benchmark::State& state) {
  auto router = api_like_router();
  asio::io_context io;
  for (auto _ : state) {
    Request req = Request::make("PUT", "/tenant/relays/8f3a/rules/42?dry_run=1");
    asio::co_spawn(io, router.dispatch(req), asio::detached);
    io.run();
    io.restart();
    benchmark::DoNotOptimize(req.route);
  }
}
BENCHMARK(BM_RouterDispatch);

void BM_CounterHandleInc(benchmark::State& state) {
  marina::metrics::Registry registry;
  auto c = registry.counter("bench_total", "h", {"a", "b"}).with({"x", "y"});
  for (auto _ : state) c.inc();
  benchmark::DoNotOptimize(c.value());
}
BENCHMARK(BM_CounterHandleInc)->Threads(1)->Threads(2);

void BM_CounterWithLookup(benchmark::State& state) {
  marina::metrics::Registry registry;
  auto& family = registry.counter("bench_total", "h", {"method", "route", "status"});
  for (auto _ : state) family.with({"GET", "/tenant/relays/:id", "200"}).inc();
}
BENCHMARK(BM_CounterWithLookup);

void BM_HistogramObserve(benchmark::State& state) {
  marina::metrics::Registry registry;
  auto h = registry.histogram("bench_seconds", "h").with();
  double v = 0;
  for (auto _ : state) {
    h.observe(v);
    v = v > 10 ? 0 : v + 0.013;
  }
}
BENCHMARK(BM_HistogramObserve);

}  // namespace
