#pragma once
#include "marina/service/main.hpp"

namespace marina::relay_ingest {

inline constexpr service::ServiceSpec kSpec{.name = "relay-ingest", .port = 0, .admin_port = 9085, .public_http = false};

// Declares the service's configuration, wires it and runs until SIGTERM/SIGINT.
int run(service::Context& ctx);

}  // namespace marina::relay_ingest
