#pragma once
// Connection upgrades (WebSocket) on the HTTP listener.
//
// The upgrade handler sees the request first and decides: reject with an
// ordinary response (unknown relay host -> 404 problem), or accept with a
// session that takes the socket over:
//
//   server.set_upgrade_handler([&](http::Request& req) -> asio::awaitable<http::UpgradeDecision> {
//     auto relay = relays.find(req.header("Host").value_or(""));
//     if (!relay) co_return http::UpgradeDecision::reject(http::problem(404, "relay-not-found"));
//     co_return http::UpgradeDecision::accept([relay](http::Upgraded up) -> asio::awaitable<void> {
//       websocket::stream<beast::tcp_stream> ws(std::move(up.stream));
//       co_await ws.async_accept(up.request, asio::use_awaitable);
//       ...
//     });
//   });
//
// The session runs inside the connection's coroutine and counts as an open
// connection; the server's stop() waits for it and, at the deadline, cancels it
// (terminal cancellation reaches every operation it awaits). Sessions that want
// to close politely earlier do so from a shutdown hook.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <optional>

#include "marina/http/request.hpp"
#include "marina/http/response.hpp"
#include "marina/http/server.hpp"

namespace marina::http {

// What an accepted session receives: the connection's stream and the original
// request (for websocket::stream::async_accept).
struct Upgraded {
  boost::beast::tcp_stream stream;
  boost::beast::http::request<boost::beast::http::string_body> request;
  std::string remote_address;
};

using UpgradeSession = std::function<boost::asio::awaitable<void>(Upgraded)>;

class UpgradeDecision {
 public:
  static UpgradeDecision reject(Response response) { return UpgradeDecision(std::move(response)); }
  static UpgradeDecision accept(UpgradeSession session) { return UpgradeDecision(std::move(session)); }

  bool accepted() const { return !rejection_.has_value(); }
  // Valid when !accepted().
  Response& rejection() { return *rejection_; }
  // Valid when accepted().
  const UpgradeSession& session() const { return session_; }

 private:
  explicit UpgradeDecision(Response r) : rejection_(std::move(r)) {}
  explicit UpgradeDecision(UpgradeSession s) : session_(std::move(s)) {}
  std::optional<Response> rejection_;
  UpgradeSession session_;
};

}  // namespace marina::http
