#pragma once
// Latency samples and their percentiles.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace marina::load {

class Latencies {
 public:
  void add(std::chrono::steady_clock::duration d) {
    samples_.push_back(std::chrono::duration<double, std::milli>(d).count());
  }
  std::size_t size() const { return samples_.size(); }
  // p in [0, 100]: nearest-rank percentile in milliseconds (0 without samples).
  double percentile(double p) {
    if (samples_.empty()) return 0;
    if (!sorted_) {
      std::sort(samples_.begin(), samples_.end());
      sorted_ = true;
    }
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples_.size())));
    return samples_[std::clamp<std::size_t>(rank, 1, samples_.size()) - 1];
  }

 private:
  std::vector<double> samples_;
  bool sorted_ = false;
};

}  // namespace marina::load
