#pragma once
// Failed verifications per client address, counted in Redis so every auth
// replica sees the same count. Fixed one-minute windows (the key names the
// minute), so the answer to a refused client is simply "retry when this
// minute ends". Guessing tokens or flooding bad signatures from one address
// then costs one Redis GET per request instead of a signature check.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marina::redis {
class Client;
}

namespace marina::auth {

class FailureLimiter {
 public:
  FailureLimiter(redis::Client& redis, std::int64_t failures_per_minute,
                 std::string key_prefix = "marina:auth:failures:");

  // When `address` has used up this minute's failures: how long until the
  // minute ends (what Retry-After says). nullopt while it may still try.
  boost::asio::awaitable<std::optional<std::chrono::seconds>> blocked(std::string_view address, std::int64_t now);
  // Counts one failure; returns the count in the current minute.
  boost::asio::awaitable<std::int64_t> record_failure(std::string_view address, std::int64_t now);

  std::int64_t limit() const { return limit_; }

 private:
  std::string key(std::string_view address, std::int64_t now) const;

  redis::Client& redis_;
  std::int64_t limit_;
  std::string prefix_;
};

}  // namespace marina::auth
