#pragma once
// The admin server's routes: /metrics, /healthz, /readyz.
#include <atomic>
#include <vector>

#include "marina/http/router.hpp"
#include "marina/metrics/registry.hpp"
#include "readiness.hpp"

namespace marina::service::detail {

// Everything referenced must outlive the router (App owns all of it).
http::Router admin_router(metrics::Registry& registry, const std::vector<ReadinessEntry>& checks,
                          const std::atomic<bool>& shutting_down);

}  // namespace marina::service::detail
