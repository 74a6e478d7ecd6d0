// Streamed responses (Response::streamed): chunked framing, back-pressure,
// HEAD, keep-alive, HTTP/1.0, producer failures and graceful stop.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "marina/http/body_writer.hpp"
#include "marina/http/error.hpp"
#include "marina/http/router.hpp"
#include "running_server.hpp"
#include "test_client.hpp"

namespace marina::http {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;
using testing::Client;
using testing::eventually;
using testing::RunningServer;

std::string numbered_lines(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

awaitable<void> sleep_ms(int ms) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(asio::use_awaitable);
}

// What the producers saw, read by the tests from their own thread.
struct Probe {
  std::atomic<std::size_t> written{0};
  std::atomic<bool> failed{false};
  std::atomic<bool> finished{false};
  std::atomic<int> started{0};
};

awaitable<void> write_lines(int n, BodyWriter& w) {
  for (int i = 0; i < n; ++i) co_await w.write("line " + std::to_string(i) + "\n");
}

// 64 KiB chunks up to `total` bytes, counting what the writer accepted.
awaitable<void> write_big(Probe& p, std::size_t total, BodyWriter& w) {
  const std::string chunk(64 * 1024, 'x');
  try {
    while (w.bytes_written() < total) {
      co_await w.write(chunk);
      p.written = w.bytes_written();
    }
  } catch (...) {
    p.failed = true;
    throw;
  }
  p.finished = true;
}

awaitable<void> write_ticks(Probe& p, int ticks, BodyWriter& w) {
  ++p.started;
  for (int i = 0; ticks < 0 || i < ticks; ++i) {
    co_await w.write("tick\n");
    co_await sleep_ms(100);
  }
  p.finished = true;
}

awaitable<void> write_then_throw(BodyWriter& w) {
  co_await w.write("partial\n");
  throw std::runtime_error("the source broke");
}

awaitable<void> throw_before_writing(BodyWriter&) {
  co_await sleep_ms(1);
  throw Error(409, "not-now", "Not now");
}

Router stream_router(Probe& p) {
  Router r;
  r.get("/lines", [](Request& req) -> awaitable<Response> {
    const int n = std::stoi(std::string(req.query("n").value_or("1000")));
    co_return Response::streamed(200, "text/plain", [n](BodyWriter& w) { return write_lines(n, w); });
  });
  r.get("/big", [&p](Request&) -> awaitable<Response> {
    co_return Response::streamed(200, "application/octet-stream",
                                 [&p](BodyWriter& w) { return write_big(p, 200u * 1024 * 1024, w); });
  });
  r.get("/ticks", [&p](Request& req) -> awaitable<Response> {
    const int n = std::stoi(std::string(req.query("n").value_or("-1")));
    co_return Response::streamed(200, "text/plain", [&p, n](BodyWriter& w) { return write_ticks(p, n, w); });
  });
  r.get("/broken", [](Request&) -> awaitable<Response> {
    co_return Response::streamed(200, "text/plain", [](BodyWriter& w) { return write_then_throw(w); });
  });
  r.get("/refused", [](Request&) -> awaitable<Response> {
    co_return Response::streamed(200, "text/plain", [](BodyWriter& w) { return throw_before_writing(w); });
  });
  r.get("/hello", [](Request&) -> awaitable<Response> { co_return Response::text("hello"); });
  return r;
}

TEST(Stream, ManyChunksArriveIntactAndTheConnectionStaysUsable) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  auto r = c.request("GET", "/lines?n=5000");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.header("content-length"), "");
  EXPECT_EQ(r.body, numbered_lines(5000));
  // Keep-alive: the last chunk ended the body, the next request is served.
  EXPECT_EQ(c.request("GET", "/hello").body, "hello");
  EXPECT_EQ(c.request("GET", "/lines?n=3").body, numbered_lines(3));
  EXPECT_EQ(srv.server().connection_count(), 1u);
}

TEST(Stream, SlowClientBlocksTheProducerInsteadOfGrowingMemory) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port(), 10s);
  c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  // The client reads nothing: the producer advances until the socket buffers
  // are full, then stays blocked in write().
  std::size_t last = 0;
  ASSERT_TRUE(eventually(
      [&] {
        std::this_thread::sleep_for(300ms);
        const std::size_t now = p.written.load();
        const bool stable = now > 0 && now == last;
        last = now;
        return stable;
      },
      10s));
  EXPECT_LT(last, 32u * 1024 * 1024) << "far more than the kernel's socket buffers";
  EXPECT_FALSE(p.finished.load());
  // Reading a little (4 MiB, not the whole body, which loopback would
  // swallow in a moment) lets it go on.
  std::vector<char> buf(64 * 1024);
  for (std::size_t got = 0; got < 4u * 1024 * 1024;) got += c.stream().socket().read_some(asio::buffer(buf));
  EXPECT_TRUE(eventually([&] { return p.written.load() > last; }));
  // The client leaving ends the producer with an error, not a 200 MB buffer.
  c.stream().close();
  EXPECT_TRUE(eventually([&] { return p.failed.load(); }, 5s));
  EXPECT_FALSE(p.finished.load());
}

TEST(Stream, HeadSendsTheHeaderOnlyAndKeepsTheConnection) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  c.send("HEAD /ticks HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto raw = c.read_until_closed(300ms).data;
  auto first_end = raw.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos);
  EXPECT_NE(raw.substr(0, first_end).find("Transfer-Encoding: chunked"), std::string::npos);
  // Straight on to the GET's response: no chunk, not even the last one.
  EXPECT_EQ(raw.substr(first_end + 4, 8), "HTTP/1.1");
  EXPECT_NE(raw.find("hello"), std::string::npos);
  EXPECT_EQ(p.started.load(), 0) << "the producer is not run for HEAD";
}

TEST(Stream, Http10ClientGetsRawBytesEndedByClose) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  c.send("GET /lines?n=3 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto got = c.read_until_closed(2s);
  EXPECT_TRUE(got.closed);
  auto end = got.data.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  const std::string head = got.data.substr(0, end);
  EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_EQ(got.data.substr(end + 4), numbered_lines(3));
}

TEST(Stream, ProducerFailingMidStreamClosesTheConnection) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  c.send("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n");
  auto got = c.read_until_closed(2s);
  EXPECT_TRUE(got.closed);
  EXPECT_NE(got.data.find("200 OK"), std::string::npos);
  EXPECT_NE(got.data.find("partial\n"), std::string::npos);
  // No last chunk: the client can tell the body is truncated.
  EXPECT_EQ(got.data.find("\r\n0\r\n\r\n"), std::string::npos);
}

TEST(Stream, ProducerFailingBeforeWritingIsAnOrdinaryProblem) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  auto r = c.request("GET", "/refused");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json()["code"], "not-now");
  EXPECT_EQ(c.request("GET", "/hello").body, "hello");
}

TEST(Stream, GracefulStopLetsAStreamFinish) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  c.send("GET /ticks?n=5 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return p.started.load() == 1; }));
  auto stopped = srv.stop_async(5s);
  auto r = c.read_response();
  EXPECT_EQ(r.body, "tick\ntick\ntick\ntick\ntick\n");
  // The header went out before the stop, so it could not say close; the
  // connection closes after the last chunk instead.
  EXPECT_TRUE(c.read_until_closed(2s).closed);
  stopped.get();
  EXPECT_TRUE(p.finished.load());
}

TEST(Stream, GracefulStopCutsAnEndlessStreamAtTheDeadline) {
  Probe p;
  RunningServer srv(stream_router(p).to_handler());
  Client c(srv.port());
  c.send("GET /ticks HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return p.started.load() == 1; }));
  auto before = std::chrono::steady_clock::now();
  srv.stop(300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  auto got = c.read_until_closed(2s);
  EXPECT_TRUE(got.closed);
  EXPECT_NE(got.data.find("tick\n"), std::string::npos);
  EXPECT_EQ(got.data.find("\r\n0\r\n\r\n"), std::string::npos);
  EXPECT_FALSE(p.finished.load());
}

}  // namespace
}  // namespace marina::http
