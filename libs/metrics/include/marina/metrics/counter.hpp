#pragma once
// Counters: values that only go up (requests served, bytes sent).
#include <atomic>

#include "marina/metrics/family.hpp"

namespace marina::metrics {

namespace detail {
struct CounterCell {
  std::atomic<double> value{0.0};
};
}  // namespace detail

// A handle to one labelled counter; cheap to copy, valid as long as the Registry.
class Counter {
 public:
  explicit Counter(detail::CounterCell& cell) : cell_(&cell) {}
  // A counter never goes down: negative and NaN increments are ignored.
  void inc(double by = 1.0) noexcept {
    if (!(by >= 0.0)) return;
    cell_->value.fetch_add(by, std::memory_order_relaxed);
  }
  double value() const noexcept { return cell_->value.load(std::memory_order_relaxed); }

 private:
  detail::CounterCell* cell_;
};

class CounterFamily final : public detail::FamilyBase {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names), Type::counter) {}

  // One value per label name, in the order the names were registered.
  Counter with(std::initializer_list<std::string_view> values = {}) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Counter with(std::span<const std::string_view> values);
  Counter with(const std::vector<std::string>& values) { return with(detail::as_views(values)); }

 private:
  void serialize_samples(std::string& out) const override;
  detail::CellMap<detail::CounterCell> cells_;
};

}  // namespace marina::metrics
