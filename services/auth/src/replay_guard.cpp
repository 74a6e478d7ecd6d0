#include "replay_guard.hpp"

#include <algorithm>

#include "marina/redis/client.hpp"

namespace marina::auth {

bool is_mutating(std::string_view method) noexcept {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

ReplayGuard::ReplayGuard(redis::Client& redis, std::string key_prefix) : redis_(redis), prefix_(std::move(key_prefix)) {}

boost::asio::awaitable<bool> ReplayGuard::first_use(const nostr::Signature& signature, std::chrono::seconds ttl) {
  std::string key = prefix_;
  signature.append_hex(key);
  co_return co_await redis_.set_nx_ex(key, "1", std::max(ttl, std::chrono::seconds(1)));
}

}  // namespace marina::auth
