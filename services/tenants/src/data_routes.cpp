// GET /tenant/relays/:id/export and POST /tenant/relays/:id/import.
//
// Export streams the NDJSON (Response::streamed): one page of
// EventStore::export_page at a time, written as one chunk and awaited, so a
// slow client slows the database reads down and memory stays at one page
// whatever the relay's size. The relay's ownership is checked before the
// header goes out, so a refusal is still an ordinary problem.
#include <nlohmann/json.hpp>

#include "importer.hpp"
#include "marina/http/body_writer.hpp"
#include "marina/http/json.hpp"
#include "marina/store/event_store.hpp"
#include "routes.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

// Events per page (and per chunk): a few hundred KiB for typical events.
constexpr std::size_t kExportPageSize = 1000;

// A plain function with parameters, not a capturing lambda coroutine: its
// frame owns the relay id for the whole stream.
asio::awaitable<void> write_export(pg::Pool& db, std::string relay_id, http::BodyWriter& out) {
  store::EventStore events(db);
  store::EventStore::ExportCursor cursor;
  std::string chunk;
  while (!cursor.done) {
    const std::vector<std::string> page = co_await events.export_page(relay_id, cursor, kExportPageSize);
    chunk.clear();
    for (const auto& raw : page) {
      chunk += raw;
      chunk += '\n';
    }
    co_await out.write(chunk);
  }
}

}  // namespace

void add_data_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                     const Settings& settings, pg::Pool& db, redis::Client& redis) {
  router.get("/tenant/relays/:id/export",
             [h = &hosting, c = &check, db = &db](Request& req) -> asio::awaitable<Response> {
               const Actor me{c->identify(req).pubkey, false};
               const Relay relay = co_await h->get_relay(std::string(req.param("id")), me.pubkey);
               co_return Response::streamed(200, "application/x-ndjson",
                                            [db, id = relay.id](http::BodyWriter& out) {
                                              return write_export(*db, id, out);
                                            });
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
  router.body_limit("POST", "/tenant/relays/:id/import", settings.import_max_body_bytes);
}

}  // namespace marina::tenants
