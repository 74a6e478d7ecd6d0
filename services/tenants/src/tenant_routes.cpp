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
    // Named before co_await: GCC 12 destroys aggregate temporaries in co_await twice.
    PageRequest request = read_page_request(req, kRelayStatuses);
    auto page = co_await h->list_relays(me.pubkey, request);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : page.items) items.push_back(relay_json(r, s->relay));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });

  router.post("/tenant/relays", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor me = tenant_actor(*c, req);
    CreateRelay request = read_create_relay(req, *s);
    auto relay = co_await h->create_relay(me, request);
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
    repo::RelayChanges changes = read_relay_changes(req, false);
    auto relay = co_await h->update_relay(me, std::string(req.param("id")), me.pubkey, changes);
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
    PageRequest request = read_page_request(req, kNoStatuses);
    auto page = co_await h->activity(std::string(req.param("id")), me.pubkey, request);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& a : page.items) items.push_back(activity_json(a));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });
}

}  // namespace marina::tenants
