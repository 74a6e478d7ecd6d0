#pragma once
// The standard process_* metrics, read from /proc at scrape time (Linux).
#include "marina/metrics/registry.hpp"

namespace marina::metrics {

// Registers process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds. Values that cannot be read are reported as NaN.
void register_process_metrics(Registry& registry);

}  // namespace marina::metrics
