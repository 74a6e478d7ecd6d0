#pragma once
// Where Redis is and how hard to try, and the one place that declares the
// REDIS_* environment variables for every service.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace marina::core {
class Config;
}

namespace marina::redis {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  int db = 0;
  std::string username;  // ACL user; empty: AUTH <password> alone
  std::string password;  // empty: no AUTH
  // A connection attempt that has not completed by then is abandoned.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  // Reconnect delays after a failure: first, then doubling up to the cap.
  std::chrono::milliseconds reconnect_min{50};
  std::chrono::milliseconds reconnect_max{std::chrono::seconds(2)};
};

// redis://[[user]:password@]host[:port][/db]. Throws std::invalid_argument
// (without echoing the password) for anything else, including rediss://.
Options parse_url(std::string_view url);

// host:port/db, for logs: never the password.
std::string describe(const Options& options);

// Declares REDIS_URL and REDIS_CONNECT_TIMEOUT on `config`. A malformed
// REDIS_URL throws core::ConfigError at once ("REDIS_URL: <why>").
Options client_options(core::Config& config);

}  // namespace marina::redis
