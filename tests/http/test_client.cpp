#include "test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

namespace marina::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

std::string ClientResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Client::Client(std::uint16_t port, std::chrono::milliseconds timeout) : stream_(io_), timeout_(timeout) {
  stream_.expires_after(timeout_);
  beast::error_code ec;
  stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code e) { ec = e; });
  io_.run();
  if (ec) throw beast::system_error(ec);
}

void Client::send(const std::string& raw) {
  beast::error_code ec;
  stream_.expires_after(timeout_);
  asio::async_write(stream_, asio::buffer(raw), [&](beast::error_code e, std::size_t) { ec = e; });
  io_.restart();
  io_.run();
  if (ec) throw beast::system_error(ec);
}

ClientResponse Client::read_response() {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  stream_.expires_after(timeout_);
  bhttp::async_read(stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
  io_.restart();
  io_.run();
  if (ec) throw beast::system_error(ec);
  ClientResponse out;
  auto& msg = parser.get();
  out.status = static_cast<int>(msg.result_int());
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.body = std::move(msg.body());
  return out;
}

ClientResponse Client::request(const std::string& method, const std::string& target, const std::string& body,
                               const HeaderList& headers) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [n, v] : headers) raw += n + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw += "\r\n" + body;
  send(raw);
  return read_response();
}

Client::ReadToEnd Client::read_until_closed(std::chrono::milliseconds within) {
  ReadToEnd out;
  stream_.expires_after(within);
  std::array<char, 4096> chunk{};
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec, std::size_t n) {
    out.data.append(chunk.data(), n);
    if (ec == beast::error::timeout) return;
    if (ec) {
      out.closed = true;  // EOF or reset
      return;
    }
    stream_.async_read_some(asio::buffer(chunk), on_read);
  };
  // Bytes the parser already buffered belong to the stream too.
  out.data.append(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  buffer_.clear();
  stream_.async_read_some(asio::buffer(chunk), on_read);
  io_.restart();
  io_.run();
  return out;
}

ClientResponse fetch(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const HeaderList& headers) {
  Client c(port);
  return c.request(method, target, body, headers);
}

bool connection_refused(std::uint16_t port) {
  asio::io_context io;
  tcp::socket s(io);
  beast::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  return ec == asio::error::connection_refused;
}

}  // namespace marina::http::testing
