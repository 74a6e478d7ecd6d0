#include "ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>
#include <boost/asio/socket_base.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

namespace marina::relay_query::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;

WsClient::WsClient(std::uint16_t port, const std::string& host, WsClientOptions options)
    : ws_(io_), timeout_(options.timeout) {
  auto& tcp_stream = beast::get_lowest_layer(ws_);
  if (options.receive_buffer_bytes > 0) {
    tcp_stream.socket().open(tcp::v4());
    tcp_stream.socket().set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
  }
  beast::error_code ec;
  tcp_stream.expires_after(timeout_);
  tcp_stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                           [&](beast::error_code e) { ec = e; });
  run();
  if (ec) throw beast::system_error(ec);
  ws_.async_handshake(host, "/", [&](beast::error_code e) { ec = e; });
  run();
  if (ec) throw beast::system_error(ec);
  ws_.text(true);
  // Every relay connection opens with the NIP-42 challenge.
  const nlohmann::json first = read();
  if (!first.is_array() || first.size() != 2 || first[0] != "AUTH" || !first[1].is_string())
    throw std::runtime_error("expected [\"AUTH\",<challenge>] first, got " + first.dump());
  challenge_ = first[1].get<std::string>();
}

WsClient::~WsClient() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void WsClient::run() {
  io_.restart();
  io_.run();
}

void WsClient::send(const std::string& text) {
  beast::error_code ec;
  beast::get_lowest_layer(ws_).expires_after(timeout_);
  ws_.async_write(asio::buffer(text), [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  if (ec) throw beast::system_error(ec);
}

nlohmann::json WsClient::read() { return read(timeout_); }

nlohmann::json WsClient::read(std::chrono::milliseconds timeout) {
  beast::error_code ec;
  buffer_.clear();
  beast::get_lowest_layer(ws_).expires_after(timeout);
  ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  if (ec) throw beast::system_error(ec);
  return nlohmann::json::parse(beast::buffers_to_string(buffer_.cdata()));
}

std::optional<WsClosed> WsClient::read_until_closed(std::chrono::milliseconds within) {
  beast::get_lowest_layer(ws_).expires_after(within);
  for (;;) {
    beast::error_code ec;
    buffer_.clear();
    ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (!ec) continue;
    if (ec == beast::error::timeout) return std::nullopt;
    WsClosed closed;
    if (ec == websocket::error::closed) {
      closed.close_frame = true;
      closed.code = static_cast<int>(ws_.reason().code);
      const auto& reason = ws_.reason().reason;
      closed.reason = std::string(reason.data(), reason.size());
    }
    return closed;
  }
}

}  // namespace marina::relay_query::testing
