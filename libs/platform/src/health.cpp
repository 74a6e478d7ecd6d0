#include "marina/platform/health.hpp"

#include "marina/http/json.hpp"

namespace marina::platform {

http::Handler health_handler(std::string service_name) {
  return [name = std::move(service_name)](http::Request&) -> boost::asio::awaitable<http::Response> {
    co_return http::json_response({{"status", "ok"}, {"service", name}});
  };
}

}  // namespace marina::platform
