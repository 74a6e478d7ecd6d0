#include "relay_socket.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace marina::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void connect(asio::io_context& io, beast::tcp_stream& stream, const RelayUrl& relay) {
  asio::ip::tcp::resolver resolver(io);
  stream.expires_after(std::chrono::seconds(10));
  try {
    stream.connect(resolver.resolve(relay.connect_host, relay.port));
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot reach " + relay.url + ": " + e.what());
  }
}

}  // namespace

RelayUrl parse_relay_url(const std::string& url) {
  if (url.rfind("wss://", 0) == 0)
    throw std::runtime_error("wss relay URLs are not supported by this client yet; use the ws URL of the ingress");
  if (url.rfind("ws://", 0) != 0) throw std::runtime_error("the relay URL must start with ws:// (got '" + url + "')");
  std::string rest = url.substr(5);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) throw std::runtime_error("the relay URL must not have a path");
  RelayUrl r;
  const auto colon = rest.rfind(':');
  r.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  r.port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  if (r.host.empty() || r.port.empty() || r.port.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("cannot read host and port from '" + url + "'");
  r.url = "ws://" + rest;
  r.connect_host = (r.host == "localhost" || ends_with(r.host, ".localhost")) ? "127.0.0.1" : r.host;
  return r;
}

std::string fetch_relay_document(const RelayUrl& relay) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  connect(io, stream, relay);
  bhttp::request<bhttp::empty_body> req(bhttp::verb::get, "/", 11);
  req.set(bhttp::field::host, relay.host_header());
  req.set(bhttp::field::user_agent, "marina-cli");
  req.set(bhttp::field::accept, "application/nostr+json");
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1024 * 1024);
  bhttp::read(stream, buffer, parser);
  if (parser.get().result_int() != 200)
    throw std::runtime_error(relay.url + " answered its NIP-11 document with HTTP " +
                             std::to_string(parser.get().result_int()));
  return std::move(parser.get().body());
}

struct RelaySocket::Impl {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
};

RelaySocket::RelaySocket(const RelayUrl& relay) : impl_(std::make_unique<Impl>()) {
  connect(impl_->io, beast::get_lowest_layer(impl_->ws), relay);
  try {
    impl_->ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(bhttp::field::user_agent, "marina-cli");
    }));
    impl_->ws.handshake(relay.host_header(), "/");
  } catch (const std::exception& e) {
    throw std::runtime_error("the WebSocket upgrade to " + relay.url + " failed: " + e.what());
  }
  impl_->ws.text(true);
}

RelaySocket::~RelaySocket() {
  beast::error_code ec;
  beast::get_lowest_layer(impl_->ws).expires_after(std::chrono::seconds(2));
  impl_->ws.close(websocket::close_code::normal, ec);
}

void RelaySocket::send(const std::string& text) {
  beast::get_lowest_layer(impl_->ws).expires_after(std::chrono::seconds(10));
  impl_->ws.write(asio::buffer(text));
}

std::optional<std::string> RelaySocket::read(std::chrono::steady_clock::time_point deadline) {
  const auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return std::nullopt;
  beast::get_lowest_layer(impl_->ws).expires_after(left);
  beast::error_code ec;
  impl_->buffer.clear();
  impl_->ws.read(impl_->buffer, ec);
  if (ec == beast::error::timeout) return std::nullopt;
  if (ec) throw std::runtime_error("the relay connection failed: " + ec.message());
  return beast::buffers_to_string(impl_->buffer.data());
}

}  // namespace marina::cli
