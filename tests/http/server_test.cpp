// The server over real sockets: keep-alive, limits, access log, metrics.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "marina/http/json.hpp"
#include "marina/http/router.hpp"
#include "marina/metrics/registry.hpp"
#include "running_server.hpp"
#include "test_client.hpp"

namespace marina::http {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;
using testing::Client;
using testing::fetch;
using testing::RunningServer;

Router test_router() {
  Router r;
  r.get("/hello", [](Request&) -> awaitable<Response> { co_return Response::text("hello"); });
  r.post("/echo", [](Request& req) -> awaitable<Response> {
    co_return json_response({{"body", req.body}, {"auth_seen", req.header("authorization").has_value()}});
  });
  r.get("/peer", [](Request& req) -> awaitable<Response> { co_return Response::text(req.remote_address); });
  return r;
}

TEST(Server, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer srv(test_router().to_handler());
  Client c(srv.port());
  auto r1 = c.request("GET", "/hello");
  EXPECT_EQ(r1.status, 200);
  EXPECT_EQ(r1.body, "hello");
  EXPECT_EQ(r1.header("content-type"), "text/plain; charset=utf-8");
  auto r2 = c.request("POST", "/echo", "payload");
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(r2.json()["body"], "payload");
  EXPECT_EQ(srv.server().connection_count(), 1u);
  EXPECT_EQ(fetch(srv.port(), "GET", "/peer").body, "127.0.0.1");
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer srv(test_router().to_handler());
  Client c(srv.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(c.read_response().body, "hello");
  EXPECT_EQ(c.read_response().json()["body"], "hi");
}

TEST(Server, ConnectionCloseIsHonoured) {
  RunningServer srv(test_router().to_handler());
  Client c(srv.port());
  auto r = c.request("GET", "/hello", {}, {{"Connection", "close"}});
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(c.read_until_closed(2s).closed);
}

TEST(Server, HeadGetsHeadersWithoutBody) {
  RunningServer srv(test_router().to_handler());
  Client c(srv.port());
  c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  // Beast's parser needs to be told a response answers HEAD; read raw instead.
  auto raw = c.read_until_closed(300ms).data;
  auto first_end = raw.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos);
  EXPECT_NE(raw.substr(0, first_end).find("Content-Length: 5"), std::string::npos);
  // The next bytes are the GET's response, not a body.
  EXPECT_EQ(raw.substr(first_end + 4, 8), "HTTP/1.1");
}

TEST(Limits, OversizedBodyIs413ProblemWithCode) {
  ServerOptions o;
  o.limits.max_body_bytes = 1024;
  RunningServer srv(test_router().to_handler(), o);

  // Declared too large: refused from the header alone, before any body is sent.
  Client c(srv.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n0123456789");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.json()["code"], "payload-too-large");
  EXPECT_EQ(r.json()["status"], 413);
  EXPECT_EQ(r.header("connection"), "close");

  // Chunked, with no length announced: caught while reading, the rest of the
  // body still in flight must not turn the answer into a connection reset.
  Client chunked(srv.port());
  std::string chunk(4096, 'x');
  std::string raw = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 8; ++i) raw += "1000\r\n" + chunk + "\r\n";
  raw += "0\r\n\r\n";
  chunked.send(raw);
  auto r2 = chunked.read_response();
  EXPECT_EQ(r2.status, 413);
  EXPECT_EQ(r2.json()["code"], "payload-too-large");

  // At the limit is fine.
  EXPECT_EQ(fetch(srv.port(), "POST", "/echo", std::string(1024, 'y')).status, 200);
}

// A client (or a proxy) that sends the whole of a body too large must read
// the 413, not a connection reset: the server reads the rest and drops it
// before it closes.
TEST(Limits, OversizedBodyStillBeingSentGetsThe413) {
  ServerOptions o;
  o.limits.max_body_bytes = 1024;
  RunningServer srv(test_router().to_handler(), o);
  const std::string body(8 << 20, 'b');
  for (int i = 0; i < 5; ++i) {
    Client c(srv.port(), 10s);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read_response();
    EXPECT_EQ(r.status, 413) << "try " << i;
    EXPECT_EQ(r.json()["detail"], "The request body exceeds 1024 bytes.");
  }
  // Chunked: caught while reading, and drained the same way.
  std::string chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string piece(65536, 'c');
  for (int i = 0; i < 64; ++i) chunked += "10000\r\n" + piece + "\r\n";
  chunked += "0\r\n\r\n";
  Client c(srv.port(), 10s);
  c.send(chunked);
  EXPECT_EQ(c.read_response().status, 413);
}

TEST(Limits, ARouteMayTakeALargerBody) {
  Router r = test_router();
  r.post("/import", [](Request& req) -> awaitable<Response> { co_return Response::text(std::to_string(req.body.size())); });
  r.body_limit("POST", "/import", 4096);
  ServerOptions o;
  o.limits.max_body_bytes = 1024;
  o.body_limits = r.body_limits();
  RunningServer srv(r.to_handler(), o);
  EXPECT_EQ(fetch(srv.port(), "POST", "/import", std::string(4096, 'i')).body, "4096");
  auto over = fetch(srv.port(), "POST", "/import?x=1", std::string(4097, 'i'));
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(over.json()["detail"], "The request body exceeds 4096 bytes.");
  auto elsewhere = fetch(srv.port(), "POST", "/echo", std::string(2000, 'e'));
  EXPECT_EQ(elsewhere.status, 413);
  EXPECT_EQ(elsewhere.json()["detail"], "The request body exceeds 1024 bytes.");
}

TEST(Limits, OversizedHeaderIs431Problem) {
  ServerOptions o;
  o.limits.max_header_bytes = 2048;
  RunningServer srv(test_router().to_handler(), o);
  auto r = fetch(srv.port(), "GET", "/hello", {}, {{"X-Big", std::string(4096, 'h')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.json()["code"], "headers-too-large");
}

TEST(Limits, GarbageIs400Problem) {
  RunningServer srv(test_router().to_handler());
  Client c(srv.port());
  c.send("THIS IS NOT HTTP\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["code"], "bad-request");
}

TEST(Limits, SlowClientIsClosedAfterTheReadTimeout) {
  ServerOptions o;
  o.limits.read_timeout = 300ms;
  metrics::Registry registry;
  o.metrics = &registry;
  RunningServer srv(test_router().to_handler(), o);

  Client c(srv.port());
  auto start = std::chrono::steady_clock::now();
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Half: ");  // and then nothing
  auto timed_out = c.read_response();
  auto waited = std::chrono::steady_clock::now() - start;
  // A request begun is told why it ends: 408, then the close.
  EXPECT_EQ(timed_out.status, 408);
  EXPECT_EQ(timed_out.header("content-type"), "application/problem+json");
  EXPECT_EQ(timed_out.json()["code"], "request-timeout");
  EXPECT_EQ(timed_out.json()["detail"], "The request was not received within 300 ms.");
  EXPECT_EQ(timed_out.header("connection"), "close");
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 2s);
  EXPECT_TRUE(c.read_until_closed(3s).closed) << "the server kept a half-sent request open";

  // A body that trickles in is bounded by the same timeout.
  Client trickle(srv.port());
  trickle.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
  EXPECT_EQ(trickle.read_response().status, 408);
  EXPECT_TRUE(trickle.read_until_closed(3s).closed);

  // A connection that never sends anything is closed without a word.
  Client silent(srv.port());
  auto nothing = silent.read_until_closed(3s);
  EXPECT_TRUE(nothing.closed);
  EXPECT_EQ(nothing.data, "");

  // Counted as the server's coroutine unwinds, a moment after the client saw the close.
  std::string text;
  EXPECT_TRUE(testing::eventually([&] {
    text = registry.serialize();
    return text.find("marina_http_connections_closed_total{server=\"http\",reason=\"read_timeout\"} 3") !=
           std::string::npos;
  })) << text;
}

TEST(Limits, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.limits.idle_timeout = 200ms;
  RunningServer srv(test_router().to_handler(), o);
  Client c(srv.port());
  EXPECT_EQ(c.request("GET", "/hello").status, 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.read_until_closed(3s).closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(Limits, TooManyConnectionsAreRefusedWith503) {
  ServerOptions o;
  o.limits.max_connections = 2;
  RunningServer srv(test_router().to_handler(), o);
  Client a(srv.port());
  Client b(srv.port());
  ASSERT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 2; }));

  Client refused(srv.port());
  auto r = refused.read_response();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.json()["code"], "too-many-connections");
  EXPECT_TRUE(refused.read_until_closed(2s).closed);

  // The admitted ones still work, and a slot frees up when one leaves.
  EXPECT_EQ(a.request("GET", "/hello").status, 200);
  b.request("GET", "/hello", {}, {{"Connection", "close"}});
  ASSERT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 1; }));
  EXPECT_EQ(fetch(srv.port(), "GET", "/hello").status, 200);
}

TEST(Server, Expect100ContinueIsAnswered) {
  RunningServer srv(test_router().to_handler());
  Client c(srv.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto cont = c.read_response();
  EXPECT_EQ(cont.status, 100);
  c.send("body");
  EXPECT_EQ(c.read_response().json()["body"], "body");
}

TEST(Server, AccessLogHasPathOnlyAndNoCredentials) {
  RunningServer srv(test_router().to_handler());
  ::testing::internal::CaptureStdout();
  auto r = fetch(srv.port(), "POST", "/echo?token=s3cr3t-query", "x",
                 {{"Authorization", "Nostr c2VjcmV0LWF1dGg="}, {"Cookie", "session=abc"}});
  // The line is written after the response and before the server reads on;
  // once the server has seen the client leave, it is there.
  EXPECT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 0; }));
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["auth_seen"]);
  auto line_start = out.find("\"msg\":\"request\"");
  ASSERT_NE(line_start, std::string::npos) << out;
  auto line = nlohmann::json::parse(out.substr(out.rfind('{', line_start), out.find('\n', line_start) -
                                                                               out.rfind('{', line_start)));
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["path"], "/echo");
  EXPECT_EQ(line["status"], 200);
  EXPECT_TRUE(line.contains("bytes"));
  EXPECT_TRUE(line.contains("duration_ms"));
  EXPECT_EQ(line["remote"], "127.0.0.1");
  EXPECT_EQ(out.find("s3cr3t-query"), std::string::npos);
  EXPECT_EQ(out.find("c2VjcmV0LWF1dGg"), std::string::npos);
  EXPECT_EQ(out.find("session=abc"), std::string::npos);
}

TEST(Server, RequestMetricsByRoutePatternAndStatus) {
  metrics::Registry registry;
  ServerOptions o;
  o.name = "main";
  o.metrics = &registry;
  o.access_log = false;
  Router r;
  r.get("/relays/:id", [](Request&) -> awaitable<Response> { co_return Response::text("ok"); });
  RunningServer srv(r.to_handler(), o);
  fetch(srv.port(), "GET", "/relays/1");
  fetch(srv.port(), "GET", "/relays/2");
  fetch(srv.port(), "GET", "/unknown/path");
  fetch(srv.port(), "BREW", "/relays/1");
  // Each request is counted after its response went out, before its connection
  // is read again: once every connection is gone, every request is counted.
  ASSERT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 0; }));
  std::string text = registry.serialize();
  EXPECT_NE(text.find("marina_http_requests_total{server=\"main\",method=\"GET\",route=\"/relays/:id\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("marina_http_requests_total{server=\"main\",method=\"GET\",route=\"unmatched\",status=\"404\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("method=\"OTHER\",route=\"unmatched\",status=\"405\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("marina_http_request_duration_seconds_count{server=\"main\",method=\"GET\",route=\"/relays/:id\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("marina_http_connections_open{server=\"main\"}"), std::string::npos);
}

}  // namespace
}  // namespace marina::http
