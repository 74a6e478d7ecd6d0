#pragma once
// The billing jobs, run by every replica every BILLING_JOB_INTERVAL and
// exactly once in effect: each tenant's work is one transaction under the
// tenant's advisory lock (accrual.hpp), so two replicas on one tenant run one
// after the other and the second finds nothing left; a crash rolls the
// tenant's transaction back whole and the next run does it again.
//
//   accrue  tenants with activity not billed yet (found from the job's scan
//           mark, BILLING_ACTIVITY_LOOKBACK before the last complete scan);
//   close   tenants whose draft period has ended: closed, next draft opened
//           with the carried credit and the period charges.
//
// Metrics: marina_billing_job_runs_total{job,result="ok|failed"},
// marina_billing_billed_msats_total{kind="charge|credit"} (items written),
// marina_billing_invoices{status} (counted after each run).
#include <boost/asio/awaitable.hpp>
#include <cstdint>

#include "accrual.hpp"
#include "marina/metrics/counter.hpp"
#include "marina/metrics/gauge.hpp"
#include "settings.hpp"

namespace marina::pg {
class Pool;
}
namespace marina::metrics {
class Registry;
}

namespace marina::billing {

class Jobs {
 public:
  Jobs(pg::Pool& db, metrics::Registry& registry, JobSettings settings, Clock clock);

  // Forever: one run per interval; a failed job is logged, counted and
  // retried at the next interval.
  boost::asio::awaitable<void> run();

  // One run of both jobs at the clock's now (tests call these directly).
  boost::asio::awaitable<AccrualResult> accrue();
  boost::asio::awaitable<AccrualResult> close_periods();

 private:
  boost::asio::awaitable<AccrualResult> advance(const std::string& tenant, std::int64_t now);
  boost::asio::awaitable<void> refresh_invoice_gauges();
  void count(const AccrualResult& r);

  pg::Pool& db_;
  JobSettings settings_;
  Clock clock_;
  metrics::CounterFamily& runs_;
  metrics::Counter charged_;
  metrics::Counter credited_;
  metrics::GaugeFamily& invoices_;
};

}  // namespace marina::billing
