#pragma once
// A run's results: one JSON line (for scripts) and a table (for people).
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace marina::load {

class Report {
 public:
  explicit Report(std::string mode) : mode_(std::move(mode)) {}
  Report& add(std::string name, double value, std::string unit = "") {
    rows_.push_back({std::move(name), value, std::move(unit)});
    return *this;
  }
  Report& add(std::string name, std::string value) {
    rows_.push_back({std::move(name), std::move(value), ""});
    return *this;
  }
  // {"mode":"ingest","events_per_s":10234.5,...} then, unless quiet, the table.
  void print(bool quiet) const;

 private:
  struct Row {
    std::string name;
    std::variant<double, std::string> value;
    std::string unit;
  };
  std::string mode_;
  std::vector<Row> rows_;
};

}  // namespace marina::load
