#include "marina/metrics/gauge.hpp"

#include "marina/metrics/exposition.hpp"

namespace marina::metrics {

Gauge GaugeFamily::with(std::span<const std::string_view> values) {
  check_arity(values.size());
  return Gauge(cells_.get(values, [] { return std::make_unique<detail::GaugeCell>(); }));
}

void GaugeFamily::serialize_samples(std::string& out) const {
  cells_.for_each([&](std::span<const std::string> values, const detail::GaugeCell& cell) {
    append_sample(out, name(), values, cell.value.load(std::memory_order_relaxed));
  });
}

}  // namespace marina::metrics
