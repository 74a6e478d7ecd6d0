#include "api_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <stdexcept>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip98.hpp"
#include "marina/nostr/random.hpp"
#include "marina/nostr/serialize.hpp"
#include "marina/core/clock.hpp"
#include "marina/nostr/sha256.hpp"

namespace marina::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

beast::tcp_stream connect(asio::io_context& io, const ApiBase& base) {
  asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  try {
    stream.connect(resolver.resolve(base.connect_host, base.port));
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot reach " + base.url + ": " + e.what());
  }
  return stream;
}

}  // namespace

ApiBase parse_api_base(const std::string& url) {
  ApiBase b;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    throw std::runtime_error("https API URLs are not supported by this client yet; use the http URL of the ingress");
  } else {
    throw std::runtime_error("the API URL must start with http:// (got '" + url + "')");
  }
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) throw std::runtime_error("the API URL must not have a path");
  const auto colon = rest.rfind(':');
  b.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  b.port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  if (b.host.empty() || b.port.empty() || b.port.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("cannot read host and port from '" + url + "'");
  b.url = "http://" + rest;
  b.connect_host = (b.host == "localhost" || ends_with(b.host, ".localhost")) ? "127.0.0.1" : b.host;
  return b;
}

ApiClient::ApiClient(ApiBase base, nostr::SecretKey key) : base_(std::move(base)), key_(std::move(key)) {}

ApiClient::ApiClient(ApiBase base) : base_(std::move(base)) {}

std::string ApiClient::authorization(const std::string& method, const std::string& target,
                                     const std::string* body) const {
  // Built here rather than by nip98::create_header to add a `nonce` tag: the
  // platform accepts a mutating token once, and without it the same command
  // run twice within a second would sign the very same event and be refused
  // as a replay. NIP-98 allows extra tags.
  nostr::EventTemplate t;
  t.kind = nostr::nip98::kKind;
  t.created_at = core::unix_seconds();
  t.tags = {{"u", base_.url + target}, {"method", method}};
  if (body != nullptr && !body->empty()) t.tags.push_back({"payload", nostr::sha256(*body).hex()});
  t.tags.push_back({"nonce", nostr::random_bytes32().hex().substr(0, 16)});
  return "Nostr " + nostr::base64_encode(nostr::event_to_json(nostr::sign(t, *key_)));
}

ApiResponse ApiClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::string& content_type) {
  asio::io_context io;
  auto stream = connect(io, base_);
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, base_.port == "80" ? base_.host : base_.host + ":" + base_.port);
  req.set(bhttp::field::user_agent, "marina-cli");
  req.set(bhttp::field::accept, "application/json");
  if (key_) req.set(bhttp::field::authorization, authorization(method, target, &body));
  if (!body.empty()) {
    req.set(bhttp::field::content_type, content_type);
    req.body() = body;
  }
  req.prepare_payload();
  stream.expires_after(std::chrono::minutes(10));  // an import may take a while
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  bhttp::read(stream, buffer, parser);
  auto& res = parser.get();
  ApiResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[bhttp::field::content_type]);
  out.body = std::move(res.body());
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

ApiResponse ApiClient::stream(const std::string& target, const std::function<void(std::string_view)>& sink) {
  asio::io_context io;
  auto stream = connect(io, base_);
  bhttp::request<bhttp::empty_body> req(bhttp::verb::get, target, 11);
  req.set(bhttp::field::host, base_.port == "80" ? base_.host : base_.host + ":" + base_.port);
  req.set(bhttp::field::user_agent, "marina-cli");
  if (key_) req.set(bhttp::field::authorization, authorization("GET", target, nullptr));
  stream.expires_after(std::chrono::hours(1));
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(boost::none);
  bhttp::read_header(stream, buffer, parser);
  ApiResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.content_type = std::string(parser.get()[bhttp::field::content_type]);
  char chunk[64 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    beast::error_code ec;
    bhttp::read(stream, buffer, parser, ec);
    if (ec && ec != bhttp::error::need_buffer) throw std::runtime_error("export interrupted: " + ec.message());
    const std::size_t got = sizeof chunk - parser.get().body().size;
    if (out.status >= 400) {
      out.body.append(chunk, got);
    } else if (got > 0) {
      sink(std::string_view(chunk, got));
    }
  }
  return out;
}

}  // namespace marina::cli
