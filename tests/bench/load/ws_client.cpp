#include "ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>

namespace marina::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsClient::WsClient(asio::any_io_executor ex) : ws_(std::move(ex)) {}

asio::awaitable<void> WsClient::connect(std::uint16_t port, const std::string& host) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
  co_await beast::get_lowest_layer(ws_).async_connect(endpoint, asio::use_awaitable);
  beast::get_lowest_layer(ws_).socket().set_option(asio::ip::tcp::no_delay(true));
  beast::get_lowest_layer(ws_).expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
  timeouts.handshake_timeout = std::chrono::seconds(10);
  ws_.set_option(timeouts);
  ws_.read_message_max(16 << 20);
  co_await ws_.async_handshake(host, "/", asio::use_awaitable);
}

asio::awaitable<void> WsClient::send(const std::string& text) {
  ws_.text(true);
  co_await ws_.async_write(asio::buffer(text), asio::use_awaitable);
}

asio::awaitable<std::string> WsClient::read() {
  buffer_.clear();
  co_await ws_.async_read(buffer_, asio::use_awaitable);
  co_return beast::buffers_to_string(buffer_.data());
}

void WsClient::abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace marina::load
