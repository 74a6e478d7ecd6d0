#include "marina/metrics/registry.hpp"

#include <stdexcept>

#include "callback_family.hpp"

namespace marina::metrics {

Registry::Registry() = default;
Registry::~Registry() = default;

// Every series name a family writes must be unique across the registry, or two
// families would print samples Prometheus cannot tell apart.
void Registry::claim_series_names(const std::string& name, Type type) {
  std::vector<std::string> names{name};
  if (type == Type::histogram) {
    names = {name, name + "_bucket", name + "_sum", name + "_count"};
  }
  for (const auto& n : names) {
    if (series_names_.contains(n)) {
      throw std::invalid_argument("metric name '" + name + "' collides with an existing series '" + n + "'");
    }
  }
  series_names_.insert(names.begin(), names.end());
}

template <typename F, typename... Args>
F& Registry::add(const std::string& name, Type type, const std::string& help, std::vector<std::string>& label_names,
                 Args&&... args) {
  std::lock_guard lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    auto* existing = dynamic_cast<F*>(it->second.get());
    if (existing == nullptr || existing->type() != type || existing->label_names() != label_names) {
      throw std::invalid_argument("metric '" + name + "' is already registered with another type or labels");
    }
    return *existing;
  }
  // Validate (the constructor throws) before claiming names.
  auto family = std::make_unique<F>(name, help, std::move(label_names), std::forward<Args>(args)...);
  claim_series_names(name, type);
  auto& ref = *family;
  families_.emplace(name, std::move(family));
  return ref;
}

CounterFamily& Registry::counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> label_names) {
  return add<CounterFamily>(name, Type::counter, help, label_names);
}

GaugeFamily& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  return add<GaugeFamily>(name, Type::gauge, help, label_names);
}

HistogramFamily& Registry::histogram(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    auto* existing = dynamic_cast<HistogramFamily*>(it->second.get());
    if (existing == nullptr || existing->label_names() != label_names) {
      throw std::invalid_argument("metric '" + name + "' is already registered with another type or labels");
    }
    auto probe = HistogramFamily(name, help, {}, std::move(bounds));  // normalises the bounds the same way
    if (probe.bounds() != existing->bounds()) {
      throw std::invalid_argument("histogram '" + name + "' is already registered with other buckets");
    }
    return *existing;
  }
  auto family = std::make_unique<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
  claim_series_names(name, Type::histogram);
  auto& ref = *family;
  families_.emplace(name, std::move(family));
  return ref;
}

void Registry::callback_gauge(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  if (families_.contains(name)) throw std::invalid_argument("metric '" + name + "' is already registered");
  auto family = std::make_unique<detail::CallbackFamily>(name, help, Type::gauge, std::move(read));
  claim_series_names(name, Type::gauge);
  families_.emplace(name, std::move(family));
}

void Registry::callback_counter(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  if (families_.contains(name)) throw std::invalid_argument("metric '" + name + "' is already registered");
  auto family = std::make_unique<detail::CallbackFamily>(name, help, Type::counter, std::move(read));
  claim_series_names(name, Type::counter);
  families_.emplace(name, std::move(family));
}

void Registry::serialize(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) family->serialize(out);
}

std::string Registry::serialize() const {
  std::string out;
  serialize(out);
  return out;
}

}  // namespace marina::metrics
