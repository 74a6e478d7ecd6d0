#pragma once
// One WebSocket connection to a relay on 127.0.0.1, as a Nostr client opens it.
// One send and one read may be in flight at a time (Beast's rule): each
// connection has one writer coroutine and one reader coroutine.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace marina::load {

class WsClient {
 public:
  explicit WsClient(boost::asio::any_io_executor ex);

  // TCP to 127.0.0.1:port, then the WebSocket handshake with `host` as Host.
  boost::asio::awaitable<void> connect(std::uint16_t port, const std::string& host);
  boost::asio::awaitable<void> send(const std::string& text);
  // The next message (text); throws when the connection ends.
  boost::asio::awaitable<std::string> read();
  // Closes at once (cancels what is in flight); safe to call more than once.
  void abort();

 private:
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace marina::load
