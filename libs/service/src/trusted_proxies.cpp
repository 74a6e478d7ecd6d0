#include "marina/service/trusted_proxies.hpp"

#include "marina/core/config.hpp"

namespace marina::service {

http::TrustedProxies declare_trusted_proxies(core::Config& config) {
  const auto entries = config.list(
      "TRUSTED_PROXIES", std::string(http::kDefaultTrustedProxies),
      "Ingress addresses or CIDR blocks whose X-Real-IP / X-Forwarded-For name the client; "
      "every other peer is the client itself. Only what nothing but the ingress can connect from.");
  std::string bad;
  auto trusted = http::TrustedProxies::parse(entries, bad);
  if (!trusted) throw core::ConfigError("invalid configuration: TRUSTED_PROXIES: not an address or CIDR block: " + bad);
  return std::move(*trusted);
}

}  // namespace marina::service
