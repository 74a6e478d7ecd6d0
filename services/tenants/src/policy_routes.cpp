#include "marina/http/json.hpp"
#include "policy_views.hpp"
#include "routes.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

// As on every /tenant route, an admin acts here as a tenant on their own relays.
Actor owner(const passport::RequestCheck& check, const Request& req) { return Actor{check.identify(req).pubkey, false}; }

}  // namespace

void add_policy_routes(http::Router& router, Policy& policy, const passport::RequestCheck& check) {
  router.get("/tenant/relays/:id/config", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    const Actor me = owner(*c, req);
    co_return http::json_response(config_json(co_await p->config(std::string(req.param("id")), me.pubkey)));
  });

  router.put("/tenant/relays/:id/config", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    const Actor me = owner(*c, req);
    nlohmann::json body = http::parse_json(req);
    co_return http::json_response(config_json(co_await p->update_config(me, std::string(req.param("id")), body)));
  });

  router.get("/tenant/relays/:id/rules", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    const Actor me = owner(*c, req);
    co_return http::json_response(rules_json(co_await p->rules(std::string(req.param("id")), me.pubkey)));
  });

  router.post("/tenant/relays/:id/rules", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    const Actor me = owner(*c, req);
    NewRule rule = read_new_rule(http::parse_json(req));
    const std::string id(req.param("id"));
    const repo::Rule added = co_await p->add_rule(me, id, rule);
    auto response = http::json_response(rule_json(added), 201);
    response.headers.set("Location", "/tenant/relays/" + id + "/rules/" + std::to_string(added.id));
    co_return response;
  });

  router.del("/tenant/relays/:id/rules/:rule_id", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    const Actor me = owner(*c, req);
    co_await p->remove_rule(me, std::string(req.param("id")), std::string(req.param("rule_id")));
    co_return http::Response::empty(204);
  });

  router.get("/admin/relays/:id/config", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    c->require_admin(req);
    co_return http::json_response(config_json(co_await p->config(std::string(req.param("id")), std::nullopt)));
  });

  router.get("/admin/relays/:id/rules", [p = &policy, c = &check](Request& req) -> asio::awaitable<Response> {
    c->require_admin(req);
    co_return http::json_response(rules_json(co_await p->rules(std::string(req.param("id")), std::nullopt)));
  });
}

}  // namespace marina::tenants
