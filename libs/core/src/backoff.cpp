#include "marina/core/backoff.hpp"

#include <algorithm>

namespace marina::core {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max) noexcept
    : min_(min), max_(std::max(min, max)), next_(min) {}

std::chrono::milliseconds Backoff::next() noexcept {
  const std::chrono::milliseconds now = next_;
  // Doubling past max_ / 2 would only be capped (and could overflow for huge caps).
  next_ = next_ > max_ / 2 ? max_ : next_ * 2;
  return now;
}

}  // namespace marina::core
