#include "admin_routes.hpp"

#include "marina/http/json.hpp"

namespace marina::service::detail {

namespace asio = boost::asio;

http::Router admin_router(metrics::Registry& registry, const std::vector<ReadinessEntry>& checks,
                          const std::atomic<bool>& shutting_down) {
  http::Router r;
  r.get("/metrics", [&registry](http::Request&) -> asio::awaitable<http::Response> {
    co_return http::Response::with_body(200, std::string(metrics::kContentType), registry.serialize());
  });
  r.get("/healthz", [](http::Request&) -> asio::awaitable<http::Response> {
    co_return http::json_response({{"status", "ok"}});
  });
  r.get("/readyz", [&checks, &shutting_down](http::Request&) -> asio::awaitable<http::Response> {
    // Draining: take this replica out of rotation whatever the checks say.
    if (shutting_down.load()) co_return http::json_response({{"status", "shutting down"}}, 503);
    auto results = co_await run_readiness_checks(checks);
    bool ready = true;
    nlohmann::json body_checks = nlohmann::json::object();
    for (const auto& c : results) {
      ready = ready && c.ok;
      nlohmann::json entry = {{"ok", c.ok}, {"duration_ms", c.duration_ms}};
      if (!c.ok) entry["error"] = c.error;
      body_checks[c.name] = std::move(entry);
    }
    co_return http::json_response({{"status", ready ? "ready" : "not ready"}, {"checks", body_checks}},
                                  ready ? 200 : 503);
  });
  return r;
}

}  // namespace marina::service::detail
