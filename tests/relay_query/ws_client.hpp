#pragma once
// A small blocking WebSocket client for the relay-query tests: one connection
// to 127.0.0.1 with the Host header of a relay, every operation bounded by a
// timeout (a server bug fails the test instead of hanging it). A test that
// wants a reader too slow for the server simply does not call read(); a small
// receive buffer makes the kernel stop taking data early.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace marina::relay_query::testing {

struct WsClientOptions {
  // SO_RCVBUF before connecting; 0 leaves the system's default.
  int receive_buffer_bytes = 0;
  std::chrono::milliseconds timeout{5000};
};

// How the server ended the connection.
struct WsClosed {
  bool close_frame = false;  // false: the socket ended without a close frame
  int code = 0;              // the close frame's code
  std::string reason;
};

class WsClient {
 public:
  // Connects and completes the WebSocket handshake; throws on failure.
  WsClient(std::uint16_t port, const std::string& host, WsClientOptions options = {});
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // The NIP-42 challenge the relay opened the connection with (read by the
  // constructor, so read() starts with what follows it).
  const std::string& challenge() const noexcept { return challenge_; }

  void send(const std::string& text);
  void send(const nlohmann::json& message) { send(message.dump()); }

  // The next message. Throws when the connection ends or `timeout` passes first.
  nlohmann::json read();
  nlohmann::json read(std::chrono::milliseconds timeout);
  // Reads (and drops) messages until the server ends the connection; nullopt
  // when it is still open after `within`.
  std::optional<WsClosed> read_until_closed(std::chrono::milliseconds within);

 private:
  // Runs the io_context until the operation started last has completed.
  void run();

  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
  std::string challenge_;
};

}  // namespace marina::relay_query::testing
