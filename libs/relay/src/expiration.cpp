#include "marina/relay/expiration.hpp"

namespace marina::relay {

std::optional<std::int64_t> hidden_expired_up_to(const RelayConfig& config, std::int64_t now) noexcept {
  if (!config.nip40_expiration_enabled) return std::nullopt;
  if (config.nip40_expiration_filter) return now;
  return now - config.nip40_expiration_grace_period;
}

bool hidden_as_expired(const RelayConfig& config, std::optional<std::int64_t> expiration, std::int64_t now) noexcept {
  if (!expiration) return false;
  const auto up_to = hidden_expired_up_to(config, now);
  return up_to && *expiration <= *up_to;
}

}  // namespace marina::relay
