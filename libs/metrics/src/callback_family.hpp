#pragma once
// A family with one unlabelled sample whose value is computed at scrape time.
#include <functional>

#include "marina/metrics/family.hpp"

namespace marina::metrics::detail {

class CallbackFamily final : public FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, Type type, std::function<double()> read)
      : FamilyBase(std::move(name), std::move(help), {}, type), read_(std::move(read)) {}

 private:
  void serialize_samples(std::string& out) const override;
  std::function<double()> read_;
};

}  // namespace marina::metrics::detail
