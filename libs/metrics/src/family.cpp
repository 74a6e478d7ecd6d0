#include "marina/metrics/family.hpp"

#include <set>
#include <stdexcept>

#include "marina/metrics/exposition.hpp"

namespace marina::metrics {

std::string_view type_name(Type type) {
  switch (type) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

namespace detail {

FamilyBase::FamilyBase(std::string name, std::string help, std::vector<std::string> label_names, Type type)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), type_(type) {
  if (!is_valid_metric_name(name_)) throw std::invalid_argument("invalid metric name '" + name_ + "'");
  if (help_.empty()) throw std::invalid_argument("metric '" + name_ + "' needs a help text");
  std::set<std::string_view> seen;
  for (const auto& l : label_names_) {
    if (!is_valid_label_name(l)) throw std::invalid_argument("metric '" + name_ + "': invalid label name '" + l + "'");
    if (!seen.insert(l).second) throw std::invalid_argument("metric '" + name_ + "': duplicate label '" + l + "'");
  }
}

void FamilyBase::check_arity(std::size_t values) const {
  if (values != label_names_.size()) {
    throw std::invalid_argument("metric '" + name_ + "' takes " + std::to_string(label_names_.size()) +
                                " label values, got " + std::to_string(values));
  }
}

void FamilyBase::append_sample(std::string& out, std::string_view series, std::span<const std::string> values,
                               double value, std::string_view le) const {
  out += series;
  if (!values.empty() || !le.empty()) {
    out += '{';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      out += label_names_[i];
      out += "=\"";
      append_escaped_label_value(out, values[i]);
      out += '"';
    }
    if (!le.empty()) {
      if (!values.empty()) out += ',';
      out += "le=\"";
      out += le;
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  append_value(out, value);
  out += '\n';
}

void FamilyBase::serialize(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_escaped_help(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type_name(type_);
  out += '\n';
  serialize_samples(out);
}

std::vector<std::string_view> as_views(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

}  // namespace detail
}  // namespace marina::metrics
