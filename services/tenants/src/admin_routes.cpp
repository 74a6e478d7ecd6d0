#include "marina/http/json.hpp"
#include "marina/nostr/hex.hpp"
#include "page.hpp"
#include "routes.hpp"
#include "views.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

const std::vector<std::string> kTenantStatuses = {"active", "suspended"};
const std::vector<std::string> kRelayStatuses = {"active", "inactive", "suspended"};

Actor admin_actor(const passport::RequestCheck& check, const Request& req) {
  return Actor{check.require_admin(req).pubkey, true};
}

std::string tenant_param(const Request& req) {
  std::string pubkey(req.param("pubkey"));
  if (!nostr::is_lower_hex(pubkey, 64))
    throw http::Error(404, "tenant-not-found", "Tenant not found", "No tenant " + pubkey + ".");
  return pubkey;
}

}  // namespace

void add_admin_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                      const Settings& settings) {
  router.get("/admin/tenants", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    admin_actor(*c, req);
    PageRequest request = read_page_request(req, kTenantStatuses);
    auto page = co_await h->list_tenants(request);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& t : page.items) items.push_back(tenant_json(t));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });

  router.get("/admin/tenants/:pubkey", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    admin_actor(*c, req);
    auto [tenant, relays] = co_await h->tenant_detail(tenant_param(req));
    nlohmann::json out = tenant_json(tenant);
    out["relays"] = nlohmann::json::array();
    for (const auto& r : relays) out["relays"].push_back(relay_json(r, s->relay));
    co_return http::json_response(out);
  });

  router.put("/admin/tenants/:pubkey", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor admin = admin_actor(*c, req);
    const std::string pubkey = tenant_param(req);
    co_return http::json_response(
        tenant_json(co_await h->set_tenant_status(admin, pubkey, read_tenant_status(req))));
  });

  router.get("/admin/relays", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    admin_actor(*c, req);
    PageRequest request = read_page_request(req, kRelayStatuses);
    auto page = co_await h->list_relays(std::nullopt, request);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : page.items) items.push_back(relay_json(r, s->relay));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });

  router.get("/admin/relays/:id", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    admin_actor(*c, req);
    co_return http::json_response(
        relay_json(co_await h->get_relay(std::string(req.param("id")), std::nullopt), s->relay));
  });

  // Any relay's audit log, as its owner reads it at /tenant/relays/:id/activity.
  router.get("/admin/relays/:id/activity", [h = &hosting, c = &check](Request& req) -> asio::awaitable<Response> {
    admin_actor(*c, req);
    PageRequest request = read_page_request(req, {});
    auto page = co_await h->activity(std::string(req.param("id")), std::nullopt, request);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& a : page.items) items.push_back(activity_json(a));
    co_return http::json_response(page_json(std::move(items), page.next_cursor));
  });

  router.put("/admin/relays/:id", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor admin = admin_actor(*c, req);
    repo::RelayChanges changes = read_relay_changes(req, true);
    auto relay = co_await h->update_relay(admin, std::string(req.param("id")), std::nullopt, changes);
    co_return http::json_response(relay_json(relay, s->relay));
  });

  router.del("/admin/relays/:id", [h = &hosting, c = &check, s = &settings](Request& req) -> asio::awaitable<Response> {
    const Actor admin = admin_actor(*c, req);
    auto relay = co_await h->set_relay_status(admin, std::string(req.param("id")), std::nullopt, "inactive");
    co_return http::json_response(relay_json(relay, s->relay));
  });
}

}  // namespace marina::tenants
