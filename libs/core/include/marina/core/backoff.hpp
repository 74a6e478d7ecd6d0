#pragma once
// Exponential backoff between attempts at work that failed for a reason that
// passes (a backend down or restarting): the first delay is `min`, each next
// one twice the last, never more than `max`; reset() after a success starts
// over at `min`. Pure arithmetic: the caller sleeps (marina/asio/retry.hpp
// for coroutines, a timer for callback code).
#include <chrono>

namespace marina::core {

class Backoff {
 public:
  // A `max` below `min` is taken as `min`.
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max) noexcept;

  // The delay to wait now; the one after it is twice as long (up to max).
  std::chrono::milliseconds next() noexcept;
  // After a success: the next delay is `min` again.
  void reset() noexcept { next_ = min_; }

  std::chrono::milliseconds min() const noexcept { return min_; }
  std::chrono::milliseconds max() const noexcept { return max_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds next_;
};

}  // namespace marina::core
