#pragma once
// The settings every service shares, read from the environment.
#include <chrono>
#include <cstdint>
#include <string>

#include "marina/core/config.hpp"
#include "marina/core/log.hpp"
#include "marina/http/limits.hpp"

namespace marina::service {

// What differs between services before any configuration is read.
struct ServiceSpec {
  std::string name;                // "tenants"; logs say service="tenants", the binary is marina-tenants
  std::uint16_t port = 8080;       // default PORT of the public HTTP server
  std::uint16_t admin_port = 9090; // default ADMIN_PORT (/metrics, /healthz, /readyz)
  bool public_http = true;         // false: no public server (relay-ingest), HOST/PORT not declared
};

struct Settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string admin_host = "127.0.0.1";
  std::uint16_t admin_port = 0;
  int threads = 1;
  log::Level log_level = log::Level::info;
  std::chrono::milliseconds shutdown_grace{10'000};
  http::ServerLimits limits;
};

// Declares and reads HOST, PORT, ADMIN_HOST, ADMIN_PORT, THREADS, LOG_LEVEL,
// SHUTDOWN_GRACE and the HTTP_* limits. Bad values are collected in `config`
// (its finish() reports them).
Settings read_settings(core::Config& config, const ServiceSpec& spec);

}  // namespace marina::service
