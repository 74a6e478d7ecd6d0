#pragma once
// Histograms: distributions (request durations, message sizes) as cumulative
// buckets with fixed upper bounds, plus a sum and a count.
#include <atomic>
#include <cstdint>
#include <memory>

#include "marina/metrics/family.hpp"

namespace marina::metrics {

// Prometheus' conventional latency buckets, in seconds.
std::vector<double> default_buckets();
// `count` bounds: start, start*factor, start*factor^2, ...
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

namespace detail {
struct HistogramCell {
  explicit HistogramCell(const std::vector<double>& bounds);
  const std::vector<double>& bounds;  // owned by the family
  // One counter per bound plus the +Inf bucket; not cumulative (cumulated at scrape).
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets;
  std::atomic<double> sum{0.0};
};
}  // namespace detail

// A handle to one labelled histogram; cheap to copy, valid as long as the Registry.
class Histogram {
 public:
  explicit Histogram(detail::HistogramCell& cell) : cell_(&cell) {}
  void observe(double v) noexcept;

 private:
  detail::HistogramCell* cell_;
};

class HistogramFamily final : public detail::FamilyBase {
 public:
  // `bounds` must be finite and strictly increasing; a trailing +Inf is implied
  // (and dropped if given). Throws std::invalid_argument otherwise.
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);

  Histogram with(std::initializer_list<std::string_view> values = {}) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Histogram with(std::span<const std::string_view> values);
  Histogram with(const std::vector<std::string>& values) { return with(detail::as_views(values)); }

  const std::vector<double>& bounds() const { return bounds_; }

 private:
  void serialize_samples(std::string& out) const override;
  std::vector<double> bounds_;
  detail::CellMap<detail::HistogramCell> cells_;
};

}  // namespace marina::metrics
