#include "server_probe.hpp"

#include <array>

namespace marina::http::detail {

namespace {

// Clients choose the method; only known ones become label values, so that a
// scanner inventing methods cannot create unbounded series.
std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                                             "OPTIONS"};
  for (auto k : known) {
    if (k == method) return k;
  }
  return "OTHER";
}

}  // namespace

ServerProbe::ServerProbe(metrics::Registry& registry, std::string server)
    : server_(std::move(server)),
      requests_(registry.counter("marina_http_requests_total", "HTTP requests answered, by route pattern and status.",
                                 {"server", "method", "route", "status"})),
      duration_(registry.histogram("marina_http_request_duration_seconds",
                                   "Time from a request's last byte read to its response written.",
                                   {"server", "method", "route"})),
      closed_(registry.counter("marina_http_connections_closed_total",
                               "Connections the server closed on its own, by reason.", {"server", "reason"})),
      open_(registry.gauge("marina_http_connections_open", "Open HTTP connections, upgraded ones included.",
                           {"server"})
                .with({server_})),
      rejected_full_(closed_.with({server_, "too_many_connections"})),
      read_timeout_(closed_.with({server_, "read_timeout"})),
      force_closed_(closed_.with({server_, "shutdown_deadline"})) {}

void ServerProbe::request_served(std::string_view method, std::string_view route, int status, double seconds) {
  auto m = method_label(method);
  std::string_view r = route.empty() ? std::string_view("unmatched") : route;
  requests_.with({server_, m, r, std::to_string(status)}).inc();
  duration_.with({server_, m, r}).observe(seconds);
}

}  // namespace marina::http::detail
