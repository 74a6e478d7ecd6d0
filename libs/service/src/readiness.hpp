#pragma once
// Running the readiness checks behind /readyz.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "marina/service/app.hpp"

namespace marina::service::detail {

struct ReadinessEntry {
  std::string name;
  ReadinessCheck check;
  std::chrono::milliseconds timeout;
};

struct CheckResult {
  std::string name;
  bool ok = false;
  std::string error;  // "failed", "timed out" or "error"; empty when ok
  double duration_ms = 0;
};

// Runs every check concurrently on the caller's executor, each bounded by its
// own timeout, so /readyz answers within the longest timeout whatever hangs.
boost::asio::awaitable<std::vector<CheckResult>> run_readiness_checks(const std::vector<ReadinessEntry>& checks);

}  // namespace marina::service::detail
