#pragma once
// billing's own configuration (beyond the shared service settings).
#include <chrono>
#include <cstdint>
#include <functional>

namespace marina::core {
class Config;
}

namespace marina::billing {

struct JobSettings {
  std::chrono::milliseconds interval{std::chrono::seconds(30)};  // BILLING_JOB_INTERVAL
  std::int64_t lookback_seconds = 3600;                          // BILLING_ACTIVITY_LOOKBACK
  std::int64_t batch = 500;                                      // BILLING_JOB_BATCH
  std::int64_t clock_offset_seconds = 0;                         // BILLING_CLOCK_OFFSET
};

JobSettings declare_job_settings(core::Config& config);

// Billing's clock: unix seconds, moved forward by BILLING_CLOCK_OFFSET (a
// test hook that lets a test live through months; 0 in production).
using Clock = std::function<std::int64_t()>;
Clock billing_clock(std::int64_t offset_seconds);

}  // namespace marina::billing
