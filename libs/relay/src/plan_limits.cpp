#include "marina/relay/plan_limits.hpp"

#include <charconv>

namespace marina::relay {

std::optional<std::int64_t> PlanLimits::ceiling(std::string_view key) const {
  if (key == "max_connections") return max_connections;
  if (key == "max_total_subscriptions" || key == "max_subscriptions_per_client") return max_subscriptions;
  return std::nullopt;
}

std::string CeilingRefusal::message() const {
  return key + ": " + std::to_string(value) + " is above the cap of plan '" + plan + "' (" + std::to_string(cap) + ")";
}

std::optional<CeilingRefusal> check_ceiling(const PlanLimits& plan, std::string_view key,
                                            std::string_view canonical_value) {
  const auto cap = plan.ceiling(key);
  if (!cap) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(canonical_value.data(), canonical_value.data() + canonical_value.size(), value);
  if (ec != std::errc() || end != canonical_value.data() + canonical_value.size() || value <= *cap) return std::nullopt;
  return CeilingRefusal{std::string(key), value, *cap, plan.id};
}

}  // namespace marina::relay
