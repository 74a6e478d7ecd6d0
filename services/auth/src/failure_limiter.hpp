#pragma once
// Failed verifications per client address and per claimed pubkey, counted in
// Redis so every auth replica sees the same counts. Fixed one-minute windows
// (the key names the minute), so the answer to a refused client is simply
// "retry when this minute ends".
//
// Being over the budget never costs a valid token anything (the Verifier
// still accepts it): it decides how a bad token is answered (rate-limited,
// before any signature work when the token could not be valid anyway). So
// one attacker behind a NAT, or one claiming someone's pubkey, cannot lock
// out the people who share the address or own the key.
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

// Whom a failure counts against.
struct FailureSubject {
  std::string_view address;
  std::optional<std::string_view> pubkey;  // the pubkey the token claims, once it parsed
};

class FailureLimiter {
 public:
  FailureLimiter(redis::Client& redis, std::int64_t failures_per_minute,
                 std::string key_prefix = "marina:auth:failures:");

  // When the address or the pubkey has used up this minute's failures: how
  // long until the minute ends (what Retry-After says). nullopt otherwise.
  boost::asio::awaitable<std::optional<std::chrono::seconds>> over_budget(const FailureSubject& subject,
                                                                           std::int64_t now);
  // Counts one failure against the address and the pubkey; returns the
  // larger of the two counts in the current minute.
  boost::asio::awaitable<std::int64_t> record_failure(const FailureSubject& subject, std::int64_t now);

  std::int64_t limit() const { return limit_; }

 private:
  std::string address_key(std::string_view address, std::int64_t now) const;
  std::string pubkey_key(std::string_view pubkey, std::int64_t now) const;

  redis::Client& redis_;
  std::int64_t limit_;
  std::string prefix_;
};

}  // namespace marina::auth
