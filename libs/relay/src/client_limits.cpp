#include "marina/relay/client_limits.hpp"

#include <algorithm>

namespace marina::relay {

namespace {

// Configured integers are in their key's range (>= 1); a hand-built config
// in a test may hold 0, which must not mean "nothing at all".
std::size_t positive(std::int64_t value) noexcept { return static_cast<std::size_t>(std::max<std::int64_t>(value, 1)); }

}  // namespace

std::size_t subscriptions_per_client(const RelayConfig& config, const RelayLimits& platform) noexcept {
  return std::min(positive(config.max_subscriptions_per_client), platform.max_subscriptions);
}

std::size_t total_subscriptions(const RelayConfig& config) noexcept { return positive(config.max_total_subscriptions); }

std::size_t message_length(const RelayConfig& config, const RelayLimits& platform) noexcept {
  return std::min(positive(config.max_message_length), platform.max_message_bytes);
}

std::size_t connections(const RelayConfig& config) noexcept { return positive(config.max_connections); }

std::string subscriptions_per_client_refusal(std::size_t max) {
  return "error: too many subscriptions (at most " + std::to_string(max) + " per connection)";
}

std::string total_subscriptions_refusal(std::size_t max) {
  return "error: too many subscriptions on this relay (at most " + std::to_string(max) + " at once); try again later";
}

std::string message_length_notice(std::size_t max) {
  return "invalid: message larger than " + std::to_string(max) + " bytes";
}

IpAdmission ip_admission(const RelayConfig& config, const AuthRules* rules, std::string_view client_ip) {
  if (!config.auth_enabled || !rules || rules->empty()) return IpAdmission::admitted;
  if (rules->ip_blacklisted(client_ip)) return IpAdmission::blacklisted;
  if (rules->has_ip_whitelist() && !rules->ip_whitelisted(client_ip)) return IpAdmission::not_whitelisted;
  return IpAdmission::admitted;
}

std::string ip_refusal(IpAdmission admission) {
  switch (admission) {
    case IpAdmission::blacklisted: return "blocked: your address is banned from this relay";
    case IpAdmission::not_whitelisted: return "blocked: this relay admits only listed addresses";
    case IpAdmission::admitted: break;
  }
  return "";
}

std::string relay_full_detail(std::size_t max) {
  return "This relay takes at most " + std::to_string(max) + " connections at once here; try again later.";
}

}  // namespace marina::relay
