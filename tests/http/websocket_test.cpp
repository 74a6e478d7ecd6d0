// Upgrades on the HTTP listener: an accepted upgrade gets the socket (echo),
// a rejected one gets an ordinary HTTP response.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include "marina/http/error.hpp"
#include "marina/http/router.hpp"
#include "marina/http/upgrade.hpp"
#include "marina/http/ws_echo.hpp"
#include "running_server.hpp"
#include "test_client.hpp"

namespace marina::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using asio::awaitable;
using namespace std::chrono_literals;
using testing::RunningServer;

// Accepts hosts ending in ".relay.test" with an echo session, rejects others.
UpgradeHandler relay_like_upgrades(ws::EchoOptions options = {}) {
  return [options](Request& req) -> awaitable<UpgradeDecision> {
    auto host = std::string(req.header("Host").value_or(""));
    if (!host.ends_with(".relay.test")) {
      co_return UpgradeDecision::reject(
          problem(404, "relay-not-found", "Relay not found", "No relay is served at " + host + "."));
    }
    co_return UpgradeDecision::accept([options](Upgraded up) { return ws::echo(std::move(up), options); });
  };
}

Router plain_routes() {
  Router r;
  r.get("/", [](Request&) -> awaitable<Response> { co_return Response::text("relay info"); });
  return r;
}

// A blocking WebSocket client with a socket-level guard: the test's io_context
// runs only inside these calls.
struct WsClient {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};

  void connect(std::uint16_t port) {
    beast::get_lowest_layer(ws).expires_after(5s);
    beast::get_lowest_layer(ws).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  // The handshake's error, and the HTTP response the server sent.
  beast::error_code handshake(const std::string& host, websocket::response_type& res) {
    beast::error_code ec;
    ws.async_handshake(res, host, "/", [&](beast::error_code e) { ec = e; });
    io.restart();
    io.run();
    beast::get_lowest_layer(ws).expires_never();
    return ec;
  }
  void write(const std::string& text, bool binary = false) {
    ws.binary(binary);
    beast::error_code ec;
    ws.async_write(asio::buffer(text), [&](beast::error_code e, std::size_t) { ec = e; });
    io.restart();
    io.run();
    if (ec) throw beast::system_error(ec);
  }
  // The message and whether it was text; throws when the session ends.
  std::pair<std::string, bool> read() {
    beast::flat_buffer buf;
    beast::error_code ec;
    asio::steady_timer guard(io, 5s);
    guard.async_wait([&](beast::error_code e) {
      if (!e) beast::get_lowest_layer(ws).close();
    });
    ws.async_read(buf, [&](beast::error_code e, std::size_t) {
      ec = e;
      guard.cancel();
    });
    io.restart();
    io.run();
    if (ec) throw beast::system_error(ec);
    return {beast::buffers_to_string(buf.data()), ws.got_text()};
  }
};

TEST(WebSocket, AcceptedUpgradeEchoes) {
  RunningServer srv(plain_routes().to_handler(), {}, relay_like_upgrades());
  WsClient c;
  c.connect(srv.port());
  websocket::response_type res;
  ASSERT_FALSE(c.handshake("alpha.relay.test", res));
  EXPECT_EQ(res.result_int(), 101);

  c.write("[\"REQ\",\"sub\",{}]");
  auto [text, is_text] = c.read();
  EXPECT_EQ(text, "[\"REQ\",\"sub\",{}]");
  EXPECT_TRUE(is_text);
  c.write(std::string("\x00\x01\x02", 3), true);
  auto [bin, bin_is_text] = c.read();
  EXPECT_EQ(bin, std::string("\x00\x01\x02", 3));
  EXPECT_FALSE(bin_is_text);
  EXPECT_EQ(srv.server().connection_count(), 1u);

  // The same listener still answers plain HTTP.
  EXPECT_EQ(testing::fetch(srv.port(), "GET", "/").body, "relay info");
}

TEST(WebSocket, RejectedUpgradeGetsTheHandlersResponse) {
  RunningServer srv(plain_routes().to_handler(), {}, relay_like_upgrades());
  WsClient c;
  c.connect(srv.port());
  websocket::response_type res;
  auto ec = c.handshake("unknown.example", res);
  EXPECT_TRUE(ec);
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(res[beast::http::field::content_type], "application/problem+json");
  auto body = nlohmann::json::parse(res.body());
  EXPECT_EQ(body["code"], "relay-not-found");
}

TEST(WebSocket, OversizedMessageEndsTheSession) {
  ws::EchoOptions small;
  small.max_message_bytes = 16;
  RunningServer srv(plain_routes().to_handler(), {}, relay_like_upgrades(small));
  WsClient c;
  c.connect(srv.port());
  websocket::response_type res;
  ASSERT_FALSE(c.handshake("a.relay.test", res));
  c.write(std::string(64, 'z'));
  try {
    c.read();
    FAIL() << "an oversized message was echoed";
  } catch (const beast::system_error& e) {
    EXPECT_EQ(e.code(), websocket::error::closed);
    EXPECT_EQ(c.ws.reason().code, websocket::close_code::too_big);
  }
  EXPECT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 0; }));
}

// The bound is checked against the frame header's announced length: a client
// announcing 2^62 bytes is refused at once, not waited for.
TEST(WebSocket, AFrameHeaderAnnouncingTooMuchIsRefusedAtTheHeader) {
  RunningServer srv(plain_routes().to_handler(), {}, relay_like_upgrades());
  WsClient c;
  c.connect(srv.port());
  websocket::response_type res;
  ASSERT_FALSE(c.handshake("a.relay.test", res));
  // FIN + text; masked, 64-bit length 2^62; the masking key; no payload.
  const unsigned char header[] = {0x81, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78};
  asio::write(beast::get_lowest_layer(c.ws).socket(), asio::buffer(header));
  const auto start = std::chrono::steady_clock::now();
  try {
    c.read();
    FAIL() << "the session waited for the payload";
  } catch (const beast::system_error& e) {
    EXPECT_EQ(e.code(), websocket::error::closed);
    EXPECT_EQ(c.ws.reason().code, websocket::close_code::too_big);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(WebSocket, StopDeadlineEndsUpgradedSessions) {
  RunningServer srv(plain_routes().to_handler(), {}, ws::echo_handler());
  WsClient c;
  c.connect(srv.port());
  websocket::response_type res;
  ASSERT_FALSE(c.handshake("any", res));
  ASSERT_TRUE(testing::eventually([&] { return srv.server().connection_count() == 1; }));
  auto start = std::chrono::steady_clock::now();
  srv.stop(200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(srv.server().connection_count(), 0u);
  EXPECT_THROW(c.read(), beast::system_error);
}

}  // namespace
}  // namespace marina::http
