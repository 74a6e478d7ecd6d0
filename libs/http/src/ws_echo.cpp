#include "marina/http/ws_echo.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

namespace marina::http::ws {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

asio::awaitable<void> echo(Upgraded upgraded, EchoOptions options) {
  websocket::stream<beast::tcp_stream> ws(std::move(upgraded.stream));
  // The websocket stream keeps its own timers (handshake, idle pings); the
  // tcp_stream's must be off or they would cut a quiet but healthy session.
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.read_message_max(options.max_message_bytes);
  co_await ws.async_accept(upgraded.request, asio::use_awaitable);

  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
    if (ec == websocket::error::closed) co_return;  // the peer closed politely
    if (ec) throw boost::system::system_error(ec);
    ws.text(ws.got_text());
    co_await ws.async_write(buffer.data(), asio::use_awaitable);
    buffer.consume(buffer.size());
  }
}

UpgradeHandler echo_handler(EchoOptions options) {
  return [options](Request&) -> asio::awaitable<UpgradeDecision> {
    co_return UpgradeDecision::accept([options](Upgraded up) { return echo(std::move(up), options); });
  };
}

}  // namespace marina::http::ws
