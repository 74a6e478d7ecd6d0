#pragma once
// A small HTTP/1.1 client for tests: one TCP connection to 127.0.0.1, every
// operation bounded by a timeout (so a server bug fails a test instead of
// hanging it), raw bytes when a test needs to misbehave.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace marina::http::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& lower_name) const;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class Client {
 public:
  // Connects; throws when the connection is refused.
  explicit Client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  void send(const std::string& raw);
  ClientResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                         const HeaderList& headers = {});
  // Throws when the connection closes or the timeout passes first.
  ClientResponse read_response();

  struct ReadToEnd {
    std::string data;
    bool closed = false;  // false: still open when `within` ran out
  };
  ReadToEnd read_until_closed(std::chrono::milliseconds within);

  boost::beast::tcp_stream& stream() { return stream_; }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
};

// One request on a fresh connection.
ClientResponse fetch(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, const HeaderList& headers = {});

// True when nothing accepts connections on the port any more.
bool connection_refused(std::uint16_t port);

}  // namespace marina::http::testing
