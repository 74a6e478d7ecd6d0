#pragma once
// Gauges: values that go up and down (open connections, queue depth).
#include <atomic>

#include "marina/metrics/family.hpp"

namespace marina::metrics {

namespace detail {
struct GaugeCell {
  std::atomic<double> value{0.0};
};
}  // namespace detail

// A handle to one labelled gauge; cheap to copy, valid as long as the Registry.
class Gauge {
 public:
  explicit Gauge(detail::GaugeCell& cell) : cell_(&cell) {}
  void set(double v) noexcept { cell_->value.store(v, std::memory_order_relaxed); }
  void inc(double by = 1.0) noexcept { cell_->value.fetch_add(by, std::memory_order_relaxed); }
  void dec(double by = 1.0) noexcept { cell_->value.fetch_sub(by, std::memory_order_relaxed); }
  double value() const noexcept { return cell_->value.load(std::memory_order_relaxed); }

 private:
  detail::GaugeCell* cell_;
};

class GaugeFamily final : public detail::FamilyBase {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names), Type::gauge) {}

  Gauge with(std::initializer_list<std::string_view> values = {}) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Gauge with(std::span<const std::string_view> values);
  Gauge with(const std::vector<std::string>& values) { return with(detail::as_views(values)); }

 private:
  void serialize_samples(std::string& out) const override;
  detail::CellMap<detail::GaugeCell> cells_;
};

}  // namespace marina::metrics
