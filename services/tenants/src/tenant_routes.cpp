#include "marina/http/json.hpp"
#include "routes.hpp"
#include "views.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

const std::vector<std::string> kRelayStatuses = {"active", "inactive", "suspended"};
const std::vector<std::string> kNoStatuses;

Actor tenant_actor(const passport::RequestCheck& check, const Request& req) {
  const auto who = check.identify(req);
  // An admin acting on /tenant routes acts as a tenant: these are their own relays.
  return Actor{who.pubkey, false};
}

}  // namespace

void add_tenant_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                       const Settings& settings) {
  router.get("/tenant", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    co_return http::json_response(tenant_json(co_await h->ensure_tenant(me.pubkey)));
  });

  router.get("/tenant/relays", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    auto page = co_await h->list_relays(me.pubkey, read_page_request(req, kRelayStatuses));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : page.items) items.push_back(relay_json(r, s->relay));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });

  router.post("/tenant/relays", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    auto relay = co_await h->create_relay(me, read_create_relay(req, *s));
    auto response = http::json_response(relay_json(relay, s->relay), 201);
    response.headers.set("Location", "/tenant/relays/" + relay.id);
    co_return response;
  });

  router.get("/tenant/relays/:id", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    co_return http::json_response(relay_json(co_await h->get_relay(std::string(req.param("id")), me.pubkey),
                                             s->relay));
  });

  router.put("/tenant/relays/:id", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    auto relay = co_await h->update_relay(me, std::string(req.param("id")), me.pubkey,
                                               read_relay_changes(req, false));
    co_return http::json_response(relay_json(relay, s->relay));
  });

  // Deactivation: the relay stops serving, its data and subdomain are kept.
  router.del("/tenant/relays/:id", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    auto relay = co_await h->set_relay_status(me, std::string(req.param("id")), me.pubkey, "inactive");
    co_return http::json_response(relay_json(relay, s->relay));
  });

  router.post("/tenant/relays/:id/reactivate", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    auto relay = co_await h->set_relay_status(me, std::string(req.param("id")), me.pubkey, "active");
    co_return http::json_response(relay_json(relay, s->relay));
  });

  router.get("/tenant/relays/:id/activity", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    auto page = co_await h->activity(std::string(req.param("id")), me.pubkey, read_page_request(req, kNoStatuses));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& a : page.items) items.push_back(activity_json(a));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });
}

}  // namespace marina::tenants
