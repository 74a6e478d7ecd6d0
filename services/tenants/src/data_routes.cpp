// GET /tenant/relays/:id/export and POST /tenant/relays/:id/import.
//
// Export: libs/http answers with whole bodies only (no chunked streaming from
// a handler), so the NDJSON is assembled from EventStore::export_all's pages
// into one body, bounded by EXPORT_MAX_BYTES (507 export-too-large beyond
// it). The database side is paged (constant per page); the HTTP side is
// not constant memory until libs/http can stream a response.
#include <nlohmann/json.hpp>

#include "importer.hpp"
#include "marina/http/json.hpp"
#include "marina/store/event_store.hpp"
#include "routes.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

struct ExportTooLarge {};

}  // namespace

void add_data_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                     const Settings& settings, pg::Pool& db, redis::Client& redis) {
  router.get("/tenant/relays/:id/export",
             [h = &hosting, c = &check, s = &settings, db = &db](Request& req) -> asio::awaitable<Response> {
               const Actor me{c->identify(req).pubkey, false};
               const Relay relay = co_await h->get_relay(std::string(req.param("id")), me.pubkey);
               store::EventStore events(*db);
               std::string body;
               bool too_large = false;
               const std::size_t max = s->export_max_bytes;
               co_await events.export_all(relay.id, 1000, [&](std::vector<std::string>&& page) {
                 for (auto& raw : page) {
                   if (too_large || body.size() + raw.size() + 1 > max) {
                     too_large = true;
                     return;
                   }
                   body += raw;
                   body += '\n';
                 }
               });
               if (too_large)
                 throw http::Error(507, "export-too-large", "Export too large",
                                   "The relay's events exceed EXPORT_MAX_BYTES (" + std::to_string(max) + " bytes).");
               co_return Response::with_body(200, "application/x-ndjson", std::move(body));
             });

  router.post("/tenant/relays/:id/import", [h = &hosting, c = &check, s = &settings, r = &redis](
                                                Request& req) -> asio::awaitable<Response> {
    const Actor me{c->identify(req).pubkey, false};
    const Relay relay = co_await h->relay_for_import(me, std::string(req.param("id")));
    ImportRequest request;
    request.relay_id = relay.id;
    request.owner_pubkey = me.pubkey;
    request.client_ip = req.remote_address;
    request.ndjson = req.body;
    request.max_events = s->import_max_events;
    request.timeout = std::chrono::milliseconds(s->import_timeout_ms);
    const ImportResult result = co_await import_events(*r, request);
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : result.problems) problems.push_back({{"line", p.line}, {"reason", p.reason}});
    nlohmann::json counts = {
        {"imported", result.imported}, {"duplicates", result.duplicates}, {"invalid", result.invalid}};
    if (result.imported > 0) co_await h->record_import(me, relay, counts.dump());
    counts["problems"] = std::move(problems);
    co_return http::json_response(counts);
  });
}

}  // namespace marina::tenants
