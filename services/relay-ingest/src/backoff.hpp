#pragma once
// Exponential backoff between retries of work that failed for a transient
// reason (a backend down): min, doubling up to max, reset after a success.
#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace marina::relay_ingest {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max) : min_(min), max_(std::max(min, max)), next_(min) {}

  // Sleeps for the current delay and doubles it. Throws when the caller is
  // cancelled (the service stopping), which is how retry loops end.
  boost::asio::awaitable<void> wait() {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, next_);
    next_ = std::min(next_ * 2, max_);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  void reset() { next_ = min_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds next_;
};

}  // namespace marina::relay_ingest
