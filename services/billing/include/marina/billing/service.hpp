#pragma once
#include "marina/service/main.hpp"

namespace marina::billing {

inline constexpr service::ServiceSpec kSpec{.name = "billing", .port = 8083, .admin_port = 9083, .public_http = true};

// Declares the service's configuration, wires it and runs until SIGTERM/SIGINT.
int run(service::Context& ctx);

}  // namespace marina::billing
