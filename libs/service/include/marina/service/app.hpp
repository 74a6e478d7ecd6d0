#pragma once
// A running service: the io_context and its threads, the metrics registry, the
// public HTTP server (optional), the admin server, readiness checks, background
// tasks and graceful shutdown.
//
// Admin port (separate listener, so a busy public port never fails a probe):
//   GET /metrics  Prometheus text 0.0.4 (process_*, marina_http_*, and the service's own)
//   GET /healthz  200 {"status":"ok"} while the process runs
//   GET /readyz   200 when every readiness check passes, 503 otherwise and during shutdown
//
// Shutdown (SIGTERM, SIGINT or shutdown()):
//   1. /readyz turns 503; the public server stops accepting, closes idle
//      connections and lets requests in progress finish, while the shutdown hooks
//      run alongside (closing WebSocket sessions politely, stopping consumers);
//      all of it bounded by SHUTDOWN_GRACE, after which what is left is cancelled;
//   2. background tasks (spawn()) are cancelled and awaited;
//   3. the admin server stops (it answered probes and scrapes until here), the
//      io_context stops, and run() returns 0 (1 if a background task failed).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "marina/http/router.hpp"
#include "marina/http/server.hpp"
#include "marina/service/settings.hpp"

namespace boost::asio {
class io_context;
}
namespace marina::metrics {
class Registry;
}

namespace marina::service {

class Context;

using ReadinessCheck = std::function<boost::asio::awaitable<bool>()>;
using ShutdownHook = std::function<boost::asio::awaitable<void>()>;

class App {
 public:
  // Finishes ctx's configuration first (see Context::finish_config).
  explicit App(Context& ctx);
  // For tests and tools that build Settings themselves.
  App(ServiceSpec spec, Settings settings);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  boost::asio::io_context& io();
  metrics::Registry& metrics();

  // Routes of the public server; add them before start(). Throws
  // std::logic_error when the spec has no public server.
  http::Router& router();
  void set_upgrade_handler(http::UpgradeHandler handler);

  // /readyz runs every check concurrently; one that does not answer within
  // `timeout` (or throws) counts as failed.
  void add_readiness_check(std::string name, ReadinessCheck check,
                           std::chrono::milliseconds timeout = std::chrono::seconds(2));
  // Runs when shutdown begins, alongside the public server's drain.
  void on_shutdown(std::string name, ShutdownHook hook);
  // A background task on its own strand (a stream consumer, a periodic job).
  // Cancelled (terminal) at shutdown after the drain; if it throws before
  // that, the service shuts down and run() returns 1.
  void spawn(std::string name, boost::asio::awaitable<void> task);

  // Binds both ports (throws std::system_error when one is taken), starts
  // accepting and handling SIGTERM/SIGINT, and logs one "started" line with the
  // bound addresses. Called by run() when not called before.
  void start();
  // Runs the io_context on THREADS threads (this one included) until shutdown
  // completes; returns the exit code.
  int run();
  // Begins the graceful shutdown; callable from any thread, more than once.
  void shutdown();

  bool shutting_down() const;
  // The bound ports (the real ones when 0 was configured); valid after start().
  std::uint16_t port() const;
  std::uint16_t admin_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marina::service
