#pragma once
#include "marina/service/main.hpp"

namespace marina::tenants {

inline constexpr service::ServiceSpec kSpec{.name = "tenants", .port = 8082, .admin_port = 9082, .public_http = true};

// Declares the service's configuration, wires it and runs until SIGTERM/SIGINT.
int run(service::Context& ctx);

}  // namespace marina::tenants
