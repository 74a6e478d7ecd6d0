// Graceful stop: in-flight requests finish, idle connections go at once, new
// connections are refused, and the deadline cuts off what will not finish.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>

#include "marina/http/router.hpp"
#include "running_server.hpp"
#include "test_client.hpp"

namespace marina::http {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;
using testing::Client;
using testing::RunningServer;

struct SlowRoutes {
  std::atomic<int> started{0};
  std::atomic<int> cancelled{0};

  Router router() {
    Router r;
    r.get("/fast", [](Request&) -> awaitable<Response> { co_return Response::text("fast"); });
    r.get("/slow", [this](Request& req) -> awaitable<Response> {
      ++started;
      auto ms = std::stoi(std::string(req.query("ms").value_or("300")));
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
      try {
        co_await t.async_wait(asio::use_awaitable);
      } catch (const boost::system::system_error&) {
        ++cancelled;
        throw;
      }
      co_return Response::text("slow done");
    });
    return r;
  }
};

TEST(Shutdown, InFlightRequestFinishesAndNewConnectionsAreRefused) {
  SlowRoutes routes;
  RunningServer srv(routes.router().to_handler());
  auto port = srv.port();

  auto in_flight = std::async(std::launch::async, [port] {
    Client c(port);
    auto r = c.request("GET", "/slow?ms=400");
    bool closed = c.read_until_closed(2s).closed;
    return std::make_pair(r, closed);
  });
  ASSERT_TRUE(testing::eventually([&] { return routes.started == 1; }));

  auto stop_started = std::chrono::steady_clock::now();
  auto stopped = srv.stop_async(5s);
  EXPECT_TRUE(testing::eventually([&] { return testing::connection_refused(port); }, 1s));

  auto [response, closed_after] = in_flight.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "slow done");
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(closed_after);

  ASSERT_EQ(stopped.wait_for(2s), std::future_status::ready);
  stopped.get();
  // It ended when the request did, not at the 5 s deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 3s);
  EXPECT_EQ(routes.cancelled, 0);
  EXPECT_EQ(srv.server().connection_count(), 0u);
}

TEST(Shutdown, IdleKeepAliveConnectionsCloseAtOnce) {
  SlowRoutes routes;
  RunningServer srv(routes.router().to_handler());
  Client idle(srv.port());
  EXPECT_EQ(idle.request("GET", "/fast").status, 200);
  Client never_sent(srv.port());
  ASSERT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 2; }));

  auto start = std::chrono::steady_clock::now();
  srv.stop(10s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(idle.read_until_closed(1s).closed);
  EXPECT_TRUE(never_sent.read_until_closed(1s).closed);
}

TEST(Shutdown, DeadlineForceClosesWhatDoesNotFinish) {
  SlowRoutes routes;
  RunningServer srv(routes.router().to_handler());
  auto port = srv.port();
  auto stuck = std::async(std::launch::async, [port] {
    Client c(port);
    c.send("GET /slow?ms=30000 HTTP/1.1\r\nHost: x\r\n\r\n");
    return c.read_until_closed(5s);
  });
  ASSERT_TRUE(testing::eventually([&] { return routes.started == 1; }));

  auto start = std::chrono::steady_clock::now();
  srv.stop(300ms);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);

  auto end = stuck.get();
  EXPECT_TRUE(end.closed);
  EXPECT_EQ(end.data.find("slow done"), std::string::npos);
  // The handler's wait was cancelled rather than left running.
  EXPECT_TRUE(testing::eventually([&] { return routes.cancelled == 1; }));
  EXPECT_EQ(srv.server().connection_count(), 0u);
}

}  // namespace
}  // namespace marina::http
