#include "callback_family.hpp"

#include <limits>

namespace marina::metrics::detail {

void CallbackFamily::serialize_samples(std::string& out) const {
  double v = std::numeric_limits<double>::quiet_NaN();
  try {
    v = read_();
  } catch (...) {
    // A failing probe must not break the whole scrape: report the value as unknown.
  }
  append_sample(out, name(), {}, v);
}

}  // namespace marina::metrics::detail
