#pragma once
// The set of metric families one process exposes, and their exposition in the
// Prometheus text format 0.0.4.
//
//   metrics::Registry registry;
//   auto& requests = registry.counter("marina_http_requests_total", "HTTP requests served.",
//                                     {"method", "status"});
//   auto ok = requests.with({"GET", "200"});   // keep the handle: no lookup per increment
//   ok.inc();
//   std::string body = registry.serialize();    // served at GET /metrics
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "marina/metrics/counter.hpp"
#include "marina/metrics/gauge.hpp"
#include "marina/metrics/histogram.hpp"

namespace marina::metrics {

// The Content-Type of serialize()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Each registration validates the metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), the
  // label names ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__", no duplicates)
  // and a non-empty help text, and throws std::invalid_argument when one is wrong.
  // Registering the same name again with the same type and label names returns
  // the existing family (two servers in one process can share their metrics);
  // anything else that reuses a name, or a name a histogram's series already
  // use (x_bucket, x_sum, x_count), throws.
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names = {}, std::vector<double> bounds = default_buckets());

  // A value computed at scrape time (queue lengths, process memory). `read` is
  // called from serialize(), on the scraping thread, and must be thread-safe.
  void callback_gauge(const std::string& name, const std::string& help, std::function<double()> read);
  void callback_counter(const std::string& name, const std::string& help, std::function<double()> read);

  // Every family, sorted by name: HELP and TYPE lines, then its samples.
  std::string serialize() const;
  void serialize(std::string& out) const;

 private:
  template <typename F, typename... Args>
  F& add(const std::string& name, Type type, const std::string& help, std::vector<std::string>& label_names,
         Args&&... args);
  void claim_series_names(const std::string& name, Type type);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<detail::FamilyBase>, std::less<>> families_;
  std::set<std::string, std::less<>> series_names_;
};

}  // namespace marina::metrics
