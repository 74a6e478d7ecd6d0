#include "marina/service/settings.hpp"

namespace marina::service {

using namespace std::chrono_literals;

Settings read_settings(core::Config& config, const ServiceSpec& spec) {
  Settings s;
  if (spec.public_http) {
    s.host = config.string("HOST", "127.0.0.1", "Address the public HTTP server listens on.");
    s.port = config.port("PORT", spec.port, "Port of the public HTTP server (0 picks a free one).");
  }
  s.admin_host = config.string("ADMIN_HOST", "127.0.0.1", "Address of the admin server (/metrics, /healthz, /readyz).");
  s.admin_port = config.port("ADMIN_PORT", spec.admin_port, "Port of the admin server (0 picks a free one).");
  s.threads = static_cast<int>(config.integer("THREADS", 1, 1, 256, "I/O threads running the event loop."));
  auto level = config.choice("LOG_LEVEL", "info", {"debug", "info", "warn", "error"}, "Least severe level logged.");
  log::parse_level(level, s.log_level);
  s.shutdown_grace = config.duration("SHUTDOWN_GRACE", 10s, 0ms, 10min,
                                     "How long shutdown waits for requests and hooks before cancelling them.");
  s.limits.max_body_bytes = static_cast<std::size_t>(config.integer(
      "HTTP_MAX_BODY_BYTES", 1 << 20, 1, std::int64_t{1} << 30, "Largest request body accepted (413 beyond)."));
  s.limits.max_header_bytes = static_cast<std::size_t>(config.integer(
      "HTTP_MAX_HEADER_BYTES", 16 << 10, 1 << 10, 1 << 20, "Largest request line plus headers (431 beyond)."));
  s.limits.read_timeout = config.duration("HTTP_READ_TIMEOUT", 10s, 100ms, 10min,
                                          "Time to receive a request's header and body; the connection closes after.");
  s.limits.idle_timeout = config.duration("HTTP_IDLE_TIMEOUT", 60s, 100ms, 1h,
                                          "How long a keep-alive connection may wait for its next request.");
  s.limits.write_timeout =
      config.duration("HTTP_WRITE_TIMEOUT", 30s, 100ms, 10min, "Time to send one response to the client.");
  s.limits.max_connections = static_cast<std::size_t>(config.integer(
      "HTTP_MAX_CONNECTIONS", 10'000, 1, 1'000'000, "Open connections on the public port (503 beyond)."));
  return s;
}

}  // namespace marina::service
