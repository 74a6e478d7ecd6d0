#pragma once
// TRUSTED_PROXIES: the peers whose X-Real-IP / X-Forwarded-For a service
// believes (http::client_address). Declared here once for every service that
// counts client addresses (auth, relay-query).
#include "marina/http/client_address.hpp"

namespace marina::core {
class Config;
}

namespace marina::service {

// Declares TRUSTED_PROXIES (default: 127.0.0.1, the local ingress, exactly).
// A malformed entry throws core::ConfigError naming it.
http::TrustedProxies declare_trusted_proxies(core::Config& config);

}  // namespace marina::service
