// An App started in-process on port 0: admin endpoints, readiness, metrics,
// graceful shutdown by SIGTERM and by deadline, background task failures.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <future>

#include "exposition_parser.hpp"
#include "marina/http/router.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/service/app.hpp"
#include "running_server.hpp"
#include "test_client.hpp"

namespace marina::service {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;
using http::testing::Client;
using http::testing::eventually;
using http::testing::fetch;

Settings test_settings(std::chrono::milliseconds grace = 5s) {
  Settings s;
  s.port = 0;
  s.admin_port = 0;
  s.threads = 2;
  s.shutdown_grace = grace;
  return s;
}

awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Runs app.run() on its own thread; the result is run()'s exit code.
std::future<int> run_in_background(App& app) {
  app.start();
  return std::async(std::launch::async, [&app] { return app.run(); });
}

TEST(App, AdminEndpointsServeHealthReadinessAndMetrics) {
  App app({.name = "test"}, test_settings());
  std::atomic<bool> ready{true};
  app.add_readiness_check("flag", [&]() -> awaitable<bool> { co_return ready.load(); });
  app.router().get("/hello", [](http::Request&) -> awaitable<http::Response> { co_return http::Response::text("hi"); });
  auto& jobs = app.metrics().counter("marina_test_jobs_total", "Jobs done.", {"kind"});
  jobs.with({"a\"b"}).inc(2);
  auto exit = run_in_background(app);
  ASSERT_NE(app.port(), 0);
  ASSERT_NE(app.admin_port(), 0);
  ASSERT_NE(app.port(), app.admin_port());

  auto health = fetch(app.admin_port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json(), (nlohmann::json{{"status", "ok"}}));

  auto ok = fetch(app.admin_port(), "GET", "/readyz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json()["status"], "ready");
  EXPECT_EQ(ok.json()["checks"]["flag"]["ok"], true);

  ready = false;
  auto not_ready = fetch(app.admin_port(), "GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.json()["status"], "not ready");
  EXPECT_EQ(not_ready.json()["checks"]["flag"]["ok"], false);
  EXPECT_EQ(not_ready.json()["checks"]["flag"]["error"], "failed");
  ready = true;
  EXPECT_EQ(fetch(app.admin_port(), "GET", "/readyz").status, 200);

  EXPECT_EQ(fetch(app.port(), "GET", "/hello").body, "hi");
  // Admin routes live on the admin port only.
  EXPECT_EQ(fetch(app.port(), "GET", "/metrics").status, 404);

  // The server records a request just after writing its response, so the
  // scrape may come a moment before the count.
  http::testing::ClientResponse m;
  metrics::testing::Exposition e;
  bool saw_hello = false;
  EXPECT_TRUE(eventually([&] {
    m = fetch(app.admin_port(), "GET", "/metrics");
    e = metrics::testing::parse_exposition(m.body);
    const auto* requests = e.find("marina_http_requests_total");
    if (requests == nullptr) return false;
    for (const auto& s : requests->samples) {
      if (*s.label("server") == "main" && *s.label("route") == "/hello" && *s.label("status") == "200") {
        saw_hello = s.value == 1;
      }
    }
    return saw_hello;
  })) << m.body;
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  ASSERT_NE(e.find("process_open_fds"), nullptr);
  ASSERT_NE(e.find("marina_test_jobs_total"), nullptr);
  EXPECT_EQ(*e.find("marina_test_jobs_total")->samples.at(0).label("kind"), "a\"b");

  app.shutdown();
  ASSERT_EQ(exit.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(exit.get(), 0);
}

TEST(App, ReadinessCheckThatHangsTimesOut) {
  App app({.name = "test"}, test_settings());
  app.add_readiness_check("fast", []() -> awaitable<bool> { co_return true; });
  app.add_readiness_check(
      "hangs",
      []() -> awaitable<bool> {
        co_await sleep_for(30s);
        co_return true;
      },
      200ms);
  app.add_readiness_check("throws", []() -> awaitable<bool> {
    throw std::runtime_error("postgres://user:pw@db/marina unreachable");
    co_return true;
  });
  auto exit = run_in_background(app);
  auto start = std::chrono::steady_clock::now();
  auto r = fetch(app.admin_port(), "GET", "/readyz");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.json()["checks"]["fast"]["ok"], true);
  EXPECT_EQ(r.json()["checks"]["hangs"]["error"], "timed out");
  EXPECT_EQ(r.json()["checks"]["throws"]["error"], "error");
  EXPECT_EQ(r.body.find("pw@db"), std::string::npos);
  app.shutdown();
  EXPECT_EQ(exit.get(), 0);
}

TEST(App, SigtermDrainsTheInFlightRequestThenExitsZero) {
  App app({.name = "test"}, test_settings(5s));
  std::atomic<int> started{0};
  std::atomic<bool> hook_ran{false};
  std::atomic<bool> task_cancelled{false};
  app.router().get("/slow", [&](http::Request&) -> awaitable<http::Response> {
    ++started;
    co_await sleep_for(500ms);
    co_return http::Response::text("finished");
  });
  app.on_shutdown("flag", [&]() -> awaitable<void> {
    hook_ran = true;
    co_return;
  });
  app.spawn("consumer", [](std::atomic<bool>& cancelled) -> awaitable<void> {
    try {
      co_await sleep_for(60s);
    } catch (const boost::system::system_error&) {
      cancelled = true;
      throw;
    }
  }(task_cancelled));
  auto exit = run_in_background(app);
  auto port = app.port();
  auto admin = app.admin_port();

  auto in_flight = std::async(std::launch::async, [port] { return fetch(port, "GET", "/slow"); });
  ASSERT_TRUE(eventually([&] { return started == 1; }));
  auto signalled = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);

  ASSERT_TRUE(eventually([&] { return app.shutting_down(); }));
  // While the public port drains, the admin port says so.
  auto readyz = fetch(admin, "GET", "/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(readyz.json()["status"], "shutting down");
  EXPECT_EQ(fetch(admin, "GET", "/healthz").status, 200);
  EXPECT_TRUE(eventually([&] { return http::testing::connection_refused(port); }, 1s));

  auto res = in_flight.get();
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "finished");

  ASSERT_EQ(exit.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(exit.get(), 0);
  // Done when the request was, not at the 5 s grace deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 4s);
  EXPECT_TRUE(hook_ran);
  EXPECT_TRUE(task_cancelled);
  EXPECT_TRUE(http::testing::connection_refused(admin));
}

TEST(App, GraceDeadlineForceClosesARequestThatNeverFinishes) {
  App app({.name = "test"}, test_settings(300ms));
  std::atomic<int> started{0};
  app.router().get("/stuck", [&](http::Request&) -> awaitable<http::Response> {
    ++started;
    co_await sleep_for(60s);
    co_return http::Response::text("never");
  });
  auto exit = run_in_background(app);
  auto port = app.port();
  auto stuck = std::async(std::launch::async, [port] {
    Client c(port);
    c.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n");
    return c.read_until_closed(10s);
  });
  ASSERT_TRUE(eventually([&] { return started == 1; }));
  auto start = std::chrono::steady_clock::now();
  app.shutdown();
  ASSERT_EQ(exit.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(exit.get(), 0);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 4s);
  auto end = stuck.get();
  EXPECT_TRUE(end.closed);
  EXPECT_EQ(end.data.find("never"), std::string::npos);
}

TEST(App, FailingBackgroundTaskStopsTheServiceWithExitCode1) {
  App app({.name = "test"}, test_settings());
  app.spawn("consumer", []() -> awaitable<void> {
    co_await sleep_for(50ms);
    throw std::runtime_error("stream vanished");
  }());
  auto exit = run_in_background(app);
  ASSERT_EQ(exit.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(exit.get(), 1);
}

TEST(App, WithoutAPublicServerOnlyTheAdminPortListens) {
  App app({.name = "relay-ingest", .public_http = false}, test_settings());
  EXPECT_THROW(app.router(), std::logic_error);
  auto exit = run_in_background(app);
  EXPECT_EQ(app.port(), 0);
  EXPECT_EQ(fetch(app.admin_port(), "GET", "/healthz").status, 200);
  app.shutdown();
  EXPECT_EQ(exit.get(), 0);
}

}  // namespace
}  // namespace marina::service
