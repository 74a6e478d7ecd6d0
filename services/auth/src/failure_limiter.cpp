#include "failure_limiter.hpp"

#include <charconv>

#include "marina/redis/client.hpp"

namespace marina::auth {

namespace {
constexpr std::int64_t kWindowSeconds = 60;
}

FailureLimiter::FailureLimiter(redis::Client& redis, std::int64_t failures_per_minute, std::string key_prefix)
    : redis_(redis), limit_(failures_per_minute), prefix_(std::move(key_prefix)) {}

std::string FailureLimiter::key(std::string_view address, std::int64_t now) const {
  return prefix_ + std::string(address) + ":" + std::to_string(now / kWindowSeconds);
}

boost::asio::awaitable<std::optional<std::chrono::seconds>> FailureLimiter::blocked(std::string_view address,
                                                                                    std::int64_t now) {
  auto count_text = co_await redis_.get(key(address, now));
  std::int64_t count = 0;
  if (count_text) std::from_chars(count_text->data(), count_text->data() + count_text->size(), count);
  if (count < limit_) co_return std::nullopt;
  co_return std::chrono::seconds(kWindowSeconds - now % kWindowSeconds);
}

boost::asio::awaitable<std::int64_t> FailureLimiter::record_failure(std::string_view address, std::int64_t now) {
  // The key outlives its minute by a little so that clock differences between
  // replicas never recreate it without a TTL.
  co_return co_await redis_.incr_expire(key(address, now), std::chrono::seconds(kWindowSeconds + 5));
}

}  // namespace marina::auth
