#include "marina/metrics/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "marina/metrics/exposition.hpp"

namespace marina::metrics {

std::vector<double> default_buckets() { return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}; }

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
  if (!(start > 0) || !(factor > 1) || count == 0) {
    throw std::invalid_argument("exponential_buckets needs start > 0, factor > 1 and count >= 1");
  }
  std::vector<double> out;
  out.reserve(count);
  for (double b = start; out.size() < count; b *= factor) out.push_back(b);
  return out;
}

namespace detail {
HistogramCell::HistogramCell(const std::vector<double>& b)
    : bounds(b), buckets(std::make_unique<std::atomic<std::uint64_t>[]>(b.size() + 1)) {}
}  // namespace detail

void Histogram::observe(double v) noexcept {
  const auto& bounds = cell_->bounds;
  // Bucket i holds values <= bounds[i]; NaN and values above every bound land in +Inf.
  std::size_t i = std::isnan(v) ? bounds.size()
                                : static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), v) -
                                                           bounds.begin());
  cell_->buckets[i].fetch_add(1, std::memory_order_relaxed);
  cell_->sum.fetch_add(v, std::memory_order_relaxed);
}

HistogramFamily::HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                                 std::vector<double> bounds)
    : FamilyBase(std::move(name), std::move(help), std::move(label_names), Type::histogram),
      bounds_(std::move(bounds)) {
  for (const auto& l : this->label_names()) {
    if (l == "le") throw std::invalid_argument("histogram '" + this->name() + "' cannot use the label 'le'");
  }
  if (!bounds_.empty() && std::isinf(bounds_.back()) && bounds_.back() > 0) bounds_.pop_back();
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && !(bounds_[i] > bounds_[i - 1]))) {
      throw std::invalid_argument("histogram '" + this->name() + "': buckets must be finite and strictly increasing");
    }
  }
}

Histogram HistogramFamily::with(std::span<const std::string_view> values) {
  check_arity(values.size());
  return Histogram(cells_.get(values, [this] { return std::make_unique<detail::HistogramCell>(bounds_); }));
}

void HistogramFamily::serialize_samples(std::string& out) const {
  const std::string bucket_name = name() + "_bucket";
  const std::string sum_name = name() + "_sum";
  const std::string count_name = name() + "_count";
  std::vector<std::string> le_labels;
  le_labels.reserve(bounds_.size() + 1);
  for (double b : bounds_) le_labels.push_back(format_value(b));
  le_labels.emplace_back("+Inf");

  cells_.for_each([&](std::span<const std::string> values, const detail::HistogramCell& cell) {
    // _count is the cumulated buckets, not a separate counter, so that the
    // +Inf bucket always equals _count even while observations race the scrape.
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < le_labels.size(); ++i) {
      cumulative += cell.buckets[i].load(std::memory_order_relaxed);
      append_sample(out, bucket_name, values, static_cast<double>(cumulative), le_labels[i]);
    }
    append_sample(out, sum_name, values, cell.sum.load(std::memory_order_relaxed));
    append_sample(out, count_name, values, static_cast<double>(cumulative));
  });
}

}  // namespace marina::metrics
