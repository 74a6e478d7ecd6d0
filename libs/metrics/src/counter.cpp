#include "marina/metrics/counter.hpp"

#include "marina/metrics/exposition.hpp"

namespace marina::metrics {

Counter CounterFamily::with(std::span<const std::string_view> values) {
  check_arity(values.size());
  return Counter(cells_.get(values, [] { return std::make_unique<detail::CounterCell>(); }));
}

void CounterFamily::serialize_samples(std::string& out) const {
  cells_.for_each([&](std::span<const std::string> values, const detail::CounterCell& cell) {
    append_sample(out, name(), values, cell.value.load(std::memory_order_relaxed));
  });
}

}  // namespace marina::metrics
