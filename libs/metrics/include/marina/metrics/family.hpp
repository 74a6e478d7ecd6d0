#pragma once
// What every metric family shares: a validated name, a HELP text, label names,
// and a map from label values to a cell whose address never changes, so the
// handle a caller keeps after with() stays valid for the registry's lifetime.
#include <algorithm>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marina::metrics {

enum class Type { counter, gauge, histogram };

std::string_view type_name(Type type);

namespace detail {

// Orders label-value tuples and lets a lookup use string_views without
// building a std::vector<std::string> key (no allocation when the cell exists).
struct LabelValuesLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names, Type type);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  Type type() const { return type_; }

  // Appends the HELP and TYPE lines and every sample of this family.
  void serialize(std::string& out) const;

 protected:
  // Throws std::invalid_argument when the number of values is not the number of label names.
  void check_arity(std::size_t values) const;
  // Appends one sample line: `series{a="x",b="y"} value`, with `le="..."` last
  // when `le` is given (histogram buckets), and no braces when there are no labels.
  void append_sample(std::string& out, std::string_view series, std::span<const std::string> values, double value,
                     std::string_view le = {}) const;
  virtual void serialize_samples(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  Type type_;
};

// Label values -> cell. Cells are created on first use and never removed.
template <typename Cell>
class CellMap {
 public:
  template <typename Make>
  Cell& get(std::span<const std::string_view> values, Make&& make) {
    std::lock_guard lock(mu_);
    auto it = cells_.find(values);
    if (it == cells_.end()) {
      std::vector<std::string> key(values.begin(), values.end());
      it = cells_.emplace(std::move(key), make()).first;
    }
    return *it->second;
  }

  // Visits cells in label-value order, holding the lock (scrapes are rare).
  template <typename Visit>
  void for_each(Visit&& visit) const {
    std::lock_guard lock(mu_);
    for (const auto& [values, cell] : cells_) visit(std::span<const std::string>(values), *cell);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Cell>, LabelValuesLess> cells_;
};

std::vector<std::string_view> as_views(const std::vector<std::string>& values);

}  // namespace detail
}  // namespace marina::metrics
