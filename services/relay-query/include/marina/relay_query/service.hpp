#pragma once
#include "marina/service/main.hpp"

namespace marina::relay_query {

inline constexpr service::ServiceSpec kSpec{.name = "relay-query", .port = 8084, .admin_port = 9084, .public_http = true};

// Declares the service's configuration, wires it and runs until SIGTERM/SIGINT.
int run(service::Context& ctx);

}  // namespace marina::relay_query
