#pragma once
// auth's metrics, one method per thing that happens:
//   marina_auth_verifications_total{result="ok|<reason code>|unavailable"}
//   marina_auth_verification_duration_seconds   time /verify took to answer
//   marina_auth_backend_errors_total{operation}  Redis calls that failed
// Every result series exists from the start (at 0), so a dashboard's rate()
// sees the first failure of a kind.
#include <array>
#include <string_view>

#include "marina/metrics/counter.hpp"
#include "marina/metrics/histogram.hpp"
#include "reason.hpp"

namespace marina::metrics {
class Registry;
}

namespace marina::auth {

class Probe {
 public:
  explicit Probe(metrics::Registry& registry);

  void verified(double seconds);
  void refused(Reason reason, double seconds);
  // Redis could not say whether a mutating request's token was fresh.
  void unavailable(double seconds);
  // operation: "replay", "rate-limit-check", "rate-limit-count"
  void backend_error(std::string_view operation);

 private:
  metrics::Counter ok_;
  metrics::Counter unavailable_;
  std::array<metrics::Counter, kAllReasons.size()> refused_;
  metrics::Histogram duration_;
  metrics::CounterFamily& backend_errors_;
};

}  // namespace marina::auth
