#pragma once
// Every bound the HTTP server enforces, in one place.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace marina::http {

struct ServerLimits {
  // Request line + header fields; beyond it: 431 problem "headers-too-large", connection closed.
  std::size_t max_header_bytes = 16 * 1024;
  // Request body (unless the route has its own, see BodyLimits); beyond it: 413
  // problem "payload-too-large" naming the limit, then what the client still
  // sends of the body is read and dropped (up to a bound) before the
  // connection closes, so that a client (or a proxy) busy sending it reads the
  // answer instead of a reset.
  std::size_t max_body_bytes = 1024 * 1024;
  // From a request's first byte (or the connection's start) until its body is
  // read; when it runs out, a request begun gets a 408 problem
  // "request-timeout" and the connection is closed (a connection that sent
  // nothing is closed without a word).
  std::chrono::milliseconds read_timeout{10'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Writing one response.
  std::chrono::milliseconds write_timeout{30'000};
  // Open connections (WebSocket sessions included); beyond it new connections get a
  // 503 problem "too-many-connections" and are closed.
  std::size_t max_connections = 10'000;
};

// method, path (percent-encoded, no query) -> the body limit of the route the
// request goes to, when that route has its own (Router::body_limits()).
using BodyLimits = std::function<std::optional<std::size_t>(std::string_view method, std::string_view path)>;

}  // namespace marina::http
