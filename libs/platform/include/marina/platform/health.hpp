#pragma once
// GET /healthz on a service's public port: {"status":"ok","service":"<name>"}.
// The ingress routes a public /healthz here, so it also shows which service
// answered (the end-to-end tests check routing by host with it).
#include <string>

#include "marina/http/handler.hpp"

namespace marina::platform {

http::Handler health_handler(std::string service_name);

}  // namespace marina::platform
