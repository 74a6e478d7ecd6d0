#pragma once
// The HTTP server's metrics, one method per thing that happens.
#include <string>
#include <string_view>

#include "marina/metrics/registry.hpp"

namespace marina::http::detail {

class ServerProbe {
 public:
  ServerProbe(metrics::Registry& registry, std::string server);

  void request_served(std::string_view method, std::string_view route, int status, double seconds);
  void connection_opened() { open_.inc(); }
  void connection_closed() { open_.dec(); }
  void connection_rejected_full() { rejected_full_.inc(); }
  void read_timed_out() { read_timeout_.inc(); }
  void connection_force_closed() { force_closed_.inc(); }

 private:
  std::string server_;
  metrics::CounterFamily& requests_;
  metrics::HistogramFamily& duration_;
  metrics::CounterFamily& closed_;
  metrics::Gauge open_;
  metrics::Counter rejected_full_;
  metrics::Counter read_timeout_;
  metrics::Counter force_closed_;
};

}  // namespace marina::http::detail
