#pragma once
#include "marina/service/main.hpp"

namespace marina::auth {

inline constexpr service::ServiceSpec kSpec{.name = "auth", .port = 8081, .admin_port = 9081, .public_http = true};

// Declares the service's configuration, wires it and runs until SIGTERM/SIGINT.
int run(service::Context& ctx);

}  // namespace marina::auth
