#pragma once
// One use per token for requests that change something. A NIP-98 token is a
// bearer credential for as long as its created_at is within the window; a
// mutating request (POST, PUT, PATCH, DELETE) captured in a log or by a proxy
// must not be replayable in that time, so its signature is remembered in
// Redis until the token could no longer pass the time check anyway. (Not the
// event id: the same request signed twice within one second has one id, and
// that is a client doing its job, not a replay.)
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"

namespace marina::redis {
class Client;
}

namespace marina::auth {

// POST, PUT, PATCH, DELETE.
bool is_mutating(std::string_view method) noexcept;

class ReplayGuard {
 public:
  explicit ReplayGuard(redis::Client& redis, std::string key_prefix = "marina:auth:used:");

  // True the first time `signature` is presented (SET NX EX), false for a replay.
  // `ttl` should cover the token's remaining validity. Throws redis::Error
  // when Redis cannot answer: the caller must then refuse, not allow.
  boost::asio::awaitable<bool> first_use(const nostr::Signature& signature, std::chrono::seconds ttl);

 private:
  redis::Client& redis_;
  std::string prefix_;
};

}  // namespace marina::auth
