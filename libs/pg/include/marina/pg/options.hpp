#pragma once
// Pool settings, and the one place that declares the DATABASE_* environment
// variables so every service documents and validates them the same way.
#include <chrono>
#include <cstddef>
#include <string>

namespace marina::core {
class Config;
}

namespace marina::pg {

struct PoolOptions {
  // libpq URL (postgresql://user[:password]@host:port/db?params) or key=value string.
  std::string url;
  // Connections, and threads that run the blocking libpqxx calls.
  std::size_t size = 8;
  // Server-side limit for each statement; 0 = none. A transaction can lower it.
  std::chrono::milliseconds statement_timeout{std::chrono::seconds(30)};
  // How long a call waits for a free connection before AcquireTimeout.
  std::chrono::milliseconds acquire_timeout{std::chrono::seconds(5)};
  // libpq connect_timeout (whole seconds, at least 2 in libpq).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
};

// Declares DATABASE_URL and DATABASE_CONNECT_TIMEOUT on `config`: what a
// single connection needs (marina-migrate). The other fields keep defaults.
PoolOptions connection_options(core::Config& config);

// connection_options() plus DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT and
// DATABASE_ACQUIRE_TIMEOUT: what a service's Pool needs. Values are validated
// by config.finish().
PoolOptions pool_options(core::Config& config);

}  // namespace marina::pg
