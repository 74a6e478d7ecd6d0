#include "failure_limiter.hpp"

#include <algorithm>
#include <charconv>

#include "marina/redis/client.hpp"

namespace marina::auth {

namespace {

constexpr std::int64_t kWindowSeconds = 60;
// The key outlives its minute by a little so that clock differences between
// replicas never recreate it without a TTL.
constexpr std::chrono::seconds kKeyLifetime(kWindowSeconds + 5);

std::int64_t count_of(const redis::Reply& reply) {
  if (reply.is_nil()) return 0;
  const std::string& text = reply.as_string();
  std::int64_t count = 0;
  std::from_chars(text.data(), text.data() + text.size(), count);
  return count;
}

}  // namespace

FailureLimiter::FailureLimiter(redis::Client& redis, std::int64_t failures_per_minute, std::string key_prefix)
    : redis_(redis), limit_(failures_per_minute), prefix_(std::move(key_prefix)) {}

std::string FailureLimiter::address_key(std::string_view address, std::int64_t now) const {
  return prefix_ + "ip:" + std::string(address) + ":" + std::to_string(now / kWindowSeconds);
}

std::string FailureLimiter::pubkey_key(std::string_view pubkey, std::int64_t now) const {
  return prefix_ + "pubkey:" + std::string(pubkey) + ":" + std::to_string(now / kWindowSeconds);
}

boost::asio::awaitable<std::optional<std::chrono::seconds>> FailureLimiter::over_budget(const FailureSubject& subject,
                                                                                        std::int64_t now) {
  std::vector<std::string> args{"MGET", address_key(subject.address, now)};
  if (subject.pubkey) args.push_back(pubkey_key(*subject.pubkey, now));
  const redis::Reply reply = co_await redis_.command(std::move(args));
  std::int64_t most = 0;
  for (const auto& count : reply.as_array()) most = std::max(most, count_of(count));
  if (most < limit_) co_return std::nullopt;
  co_return std::chrono::seconds(kWindowSeconds - now % kWindowSeconds);
}

boost::asio::awaitable<std::int64_t> FailureLimiter::record_failure(const FailureSubject& subject, std::int64_t now) {
  std::int64_t most = co_await redis_.incr_expire(address_key(subject.address, now), kKeyLifetime);
  if (subject.pubkey) most = std::max(most, co_await redis_.incr_expire(pubkey_key(*subject.pubkey, now), kKeyLifetime));
  co_return most;
}

}  // namespace marina::auth
