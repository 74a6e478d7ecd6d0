#pragma once
// `marina plans` and `marina invoices list|show`: the plans with their
// prices, and the caller's invoices with their items (billing's routes).
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "args.hpp"

namespace marina::cli {

struct BillingContext {
  const Args& args;  // words()[0] is "plans" or "invoices"
  bool as_json = false;
  // One signed API call; throws on a refusal (the caller reports it).
  std::function<nlohmann::json(const std::string& method, const std::string& target)> call;
  // An unsigned GET of a public route (no key file needed).
  std::function<nlohmann::json(const std::string& target)> call_public;
};

int plans_command(BillingContext& ctx);
int invoices_command(BillingContext& ctx);

}  // namespace marina::cli
