#pragma once
// Every bound the HTTP server enforces, in one place.
#include <chrono>
#include <cstddef>

namespace marina::http {

struct ServerLimits {
  // Request line + header fields; beyond it: 431 problem "headers-too-large", connection closed.
  std::size_t max_header_bytes = 16 * 1024;
  // Request body; beyond it: 413 problem "payload-too-large", connection closed.
  std::size_t max_body_bytes = 1024 * 1024;
  // From a request's first byte (or the connection's start) until its body is
  // read; when it runs out the connection is closed.
  std::chrono::milliseconds read_timeout{10'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Writing one response.
  std::chrono::milliseconds write_timeout{30'000};
  // Open connections (WebSocket sessions included); beyond it new connections get a
  // 503 problem "too-many-connections" and are closed.
  std::size_t max_connections = 10'000;
};

}  // namespace marina::http
