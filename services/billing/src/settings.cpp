#include "settings.hpp"

#include "marina/core/clock.hpp"
#include "marina/core/config.hpp"

namespace marina::billing {

JobSettings declare_job_settings(core::Config& config) {
  using namespace std::chrono_literals;
  JobSettings s;
  s.interval = config.duration("BILLING_JOB_INTERVAL", 30s, 100ms, 1h,
                               "How often the billing jobs run (accrual of new activity, period closing).");
  s.lookback_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(
          config.duration("BILLING_ACTIVITY_LOOKBACK", 1h, 1s, 24h * 30,
                          "How far before its last complete scan the accrual job looks for activity not billed yet "
                          "(longer than any tenants transaction)."))
          .count();
  s.batch = config.integer("BILLING_JOB_BATCH", 500, 1, 100000, "Tenants a job reads per statement.");
  s.clock_offset_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(
          config.duration("BILLING_CLOCK_OFFSET", 0ms, 0ms, 24h * 3660,
                          "Test hook: billing's clock runs this far ahead of the system clock, so tests cross "
                          "periods in seconds. Leave 0 in production."))
          .count();
  return s;
}

Clock billing_clock(std::int64_t offset_seconds) {
  return [offset_seconds] { return core::unix_seconds() + offset_seconds; };
}

}  // namespace marina::billing
