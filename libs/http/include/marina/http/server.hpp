#pragma once
// An HTTP/1.1 server: one coroutine per connection, each on its own strand, so
// the io_context may run on any number of threads.
//
//   http::Server server(io, router.to_handler(), {.name = "main", .metrics = &registry});
//   std::uint16_t port = server.listen("127.0.0.1", 0);     // binds now, accepts on io's threads
//   ...
//   co_await server.stop(std::chrono::steady_clock::now() + 10s);
//
// Shutdown: stop() closes the listener, closes keep-alive connections that are
// waiting for a request, lets requests in progress finish (their responses carry
// `Connection: close`), and at the deadline cancels what is left (handlers and
// upgraded sessions get terminal cancellation, sockets are closed). It completes
// when every connection is gone.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "marina/http/handler.hpp"
#include "marina/http/limits.hpp"

namespace boost::asio {
class io_context;
}
namespace marina::metrics {
class Registry;
}

namespace marina::http {

namespace detail {
struct ServerState;
}

class UpgradeDecision;  // upgrade.hpp
using UpgradeHandler = std::function<boost::asio::awaitable<UpgradeDecision>(Request&)>;

struct ServerOptions {
  // Names the server in logs and in the `server` label of its metrics ("main", "admin").
  std::string name = "http";
  ServerLimits limits;
  // Routes with a body limit of their own (Router::body_limits()); the others
  // have limits.max_body_bytes.
  BodyLimits body_limits;
  // When set: marina_http_requests_total, marina_http_request_duration_seconds,
  // marina_http_connections_open and marina_http_connections_closed_total.
  metrics::Registry* metrics = nullptr;
  // One JSON line per request: method, path (never the query), status, bytes, duration_ms, remote.
  bool access_log = true;
};

class Server {
 public:
  Server(boost::asio::io_context& io, Handler handler, ServerOptions options = {});
  // Closes the listener and every connection at once; call stop() first for a graceful end.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Requests carrying `Upgrade: websocket` go to `handler` instead of the
  // normal one (see upgrade.hpp). Set before listen().
  void set_upgrade_handler(UpgradeHandler handler);

  // Binds host:port (port 0 picks a free one) and starts accepting. Returns the
  // bound port. Throws std::system_error when the address cannot be bound.
  std::uint16_t listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const;

  // Graceful stop; see above. Safe to call from any thread's coroutine, once.
  boost::asio::awaitable<void> stop(std::chrono::steady_clock::time_point deadline);

  // Open connections right now (for tests and probes).
  std::size_t connection_count() const;

 private:
  std::shared_ptr<detail::ServerState> state_;
};

}  // namespace marina::http
