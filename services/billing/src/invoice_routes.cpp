#include <algorithm>
#include <charconv>
#include <functional>

#include "marina/core/uuid_text.hpp"
#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "marina/http/json.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/pg/pool.hpp"
#include "routes.hpp"
#include "views.hpp"

namespace marina::billing {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

const std::vector<std::string> kStatuses = {"draft", "open", "paid", "void"};
constexpr std::size_t kMaxNote = 500;

http::Error invoice_not_found(const std::string& id) {
  return http::Error(404, "invoice-not-found", "Invoice not found", "No invoice " + id + ".");
}

http::Error invalid_cursor() {
  return http::Error(400, "invalid-cursor", "Invalid cursor", "Use the next_cursor of a previous page.");
}

std::size_t read_limit(const Request& req) {
  std::size_t n = 50;
  if (auto limit = req.query("limit")) {
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > 200)
      throw http::Error(400, "invalid-limit", "Invalid limit", "limit is an integer from 1 to 200.");
  }
  return n;
}

std::optional<std::int64_t> read_int_cursor(const Request& req) {
  auto cursor = req.query("cursor");
  if (!cursor || cursor->empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), v);
  if (ec != std::errc() || end != cursor->data() + cursor->size() || v < 0) throw invalid_cursor();
  return v;
}

// {"note": "..."} or no body: why an admin marked or voided an invoice.
std::string read_note(const Request& req) {
  if (req.body.empty()) return {};
  const auto body = http::parse_json(req);
  if (!body.is_object()) throw http::Error(400, "invalid-field", "Invalid field", "The body is a JSON object.");
  std::string note;
  for (const auto& entry : body.items()) {
    const std::string& key = entry.key();
    const nlohmann::json& v = entry.value();
    if (key != "note") throw http::Error(400, "invalid-field", "Invalid field", "Unknown field '" + key + "'.");
    if (!v.is_string() || v.get<std::string>().size() > kMaxNote)
      throw http::Error(400, "invalid-field", "Invalid field",
                        "note is a string of at most " + std::to_string(kMaxNote) + " bytes.");
    note = v.get<std::string>();
  }
  return note;
}

Response page_response(const std::vector<store::Invoice>& rows, std::size_t limit,
                       const std::function<std::string(const store::Invoice&)>& cursor_of) {
  nlohmann::json data = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) data.push_back(invoice_json(rows[i]));
  nlohmann::json next = rows.size() > limit ? nlohmann::json(cursor_of(rows[limit - 1])) : nlohmann::json();
  return http::json_response({{"data", std::move(data)}, {"next_cursor", std::move(next)}});
}

Response invoice_with_items(const store::Invoice& invoice, const std::vector<store::Item>& items) {
  nlohmann::json out = invoice_json(invoice);
  out["items"] = nlohmann::json::array();
  for (const auto& i : items) out["items"].push_back(item_json(i));
  return http::json_response(out);
}

using Detail = std::optional<std::pair<store::Invoice, std::vector<store::Item>>>;

asio::awaitable<Detail> load_detail(pg::Pool& db, std::string id, std::optional<std::string> tenant) {
  co_return co_await db.transaction([&](pqxx::work& tx) -> Detail {
    auto invoice = store::find_invoice(tx, id, tenant);
    if (!invoice) return std::nullopt;
    return std::pair{*invoice, store::invoice_items(tx, invoice->id)};
  });
}

// An admin's change from `open`: 404 when there is no such invoice, 409
// invoice-not-open naming the status it is in.
using Change = bool (*)(pqxx::work&, const std::string&, const std::string&, std::int64_t, const std::string&);

asio::awaitable<Response> admin_change(pg::Pool& db, const Request& req, const std::string& admin, Change change,
                                       std::int64_t now, const char* verb) {
  const std::string id(req.param("id"));
  const std::string note = read_note(req);
  auto result = co_await db.transaction([&](pqxx::work& tx) -> std::optional<std::pair<bool, store::Invoice>> {
    auto before = store::find_invoice(tx, id, std::nullopt);
    if (!before) return std::nullopt;
    if (!change(tx, id, admin, now, note)) return std::pair{false, *before};
    return std::pair{true, *store::find_invoice(tx, id, std::nullopt)};
  });
  if (!result) throw invoice_not_found(id);
  if (!result->first)
    throw http::Error(409, "invoice-not-open", "Invoice not open",
                      "Only an open invoice can be " + std::string(verb) + "; this one is " + result->second.status +
                          ".");
  log::info("invoice changed by an admin", {{"invoice", id}, {"status", result->second.status}, {"by", admin}});
  auto items = co_await db.transaction([&](pqxx::work& tx) { return store::invoice_items(tx, id); });
  co_return invoice_with_items(result->second, items);
}

}  // namespace

void add_tenant_invoice_routes(http::Router& router, pg::Pool& db, const passport::RequestCheck& check) {
  router.get("/tenant/invoices", [d = &db, c = &check](Request& req) -> asio::awaitable<Response> {
    const std::string me = c->identify(req).pubkey;
    const std::size_t limit = read_limit(req);
    const auto before = read_int_cursor(req);
    auto rows = co_await d->transaction(
        [&](pqxx::work& tx) { return store::tenant_invoices(tx, me, before, limit + 1); });
    co_return page_response(rows, limit, [](const store::Invoice& i) { return std::to_string(i.period_index); });
  });

  router.get("/tenant/invoices/:id", [d = &db, c = &check](Request& req) -> asio::awaitable<Response> {
    const std::string me = c->identify(req).pubkey;
    const std::string id(req.param("id"));
    // Another tenant's invoice is "not found", exactly like a missing one.
    auto detail = co_await load_detail(*d, id, me);
    if (!detail) throw invoice_not_found(id);
    co_return invoice_with_items(detail->first, detail->second);
  });
}

void add_admin_invoice_routes(http::Router& router, pg::Pool& db, const passport::RequestCheck& check,
                              Clock clock) {
  router.get("/admin/invoices", [d = &db, c = &check](Request& req) -> asio::awaitable<Response> {
    c->require_admin(req);
    store::AdminQuery q;
    q.limit = read_limit(req) + 1;
    if (auto status = req.query("status"); status && !status->empty()) {
      if (std::find(kStatuses.begin(), kStatuses.end(), *status) == kStatuses.end())
        throw http::Error(400, "invalid-status", "Invalid status",
                          "status is one of draft, open, paid, void; not '" + std::string(*status) + "'.");
      q.status = std::string(*status);
    }
    if (auto tenant = req.query("tenant"); tenant && !tenant->empty()) {
      if (!nostr::is_lower_hex(*tenant, 64))
        throw http::Error(400, "invalid-tenant", "Invalid tenant", "tenant is a pubkey in 64 lower-case hex.");
      q.tenant = std::string(*tenant);
    }
    if (auto cursor = req.query("cursor"); cursor && !cursor->empty()) {
      const std::string cur(*cursor);
      const auto dot = cur.find('.');
      std::int64_t micros = 0;
      if (dot == std::string::npos) throw invalid_cursor();
      auto [end, ec] = std::from_chars(cur.data(), cur.data() + dot, micros);
      if (ec != std::errc() || end != cur.data() + dot || !core::is_uuid(cur.substr(dot + 1))) throw invalid_cursor();
      q.cursor_micros = micros;
      q.cursor_id = cur.substr(dot + 1);
    }
    auto rows = co_await d->transaction([&](pqxx::work& tx) { return store::all_invoices(tx, q); });
    co_return page_response(rows, q.limit - 1, [](const store::Invoice& i) { return i.cursor; });
  });

  router.get("/admin/invoices/:id", [d = &db, c = &check](Request& req) -> asio::awaitable<Response> {
    c->require_admin(req);
    const std::string id(req.param("id"));
    auto detail = co_await load_detail(*d, id, std::nullopt);
    if (!detail) throw invoice_not_found(id);
    co_return invoice_with_items(detail->first, detail->second);
  });

  router.post("/admin/invoices/:id/mark-paid", [d = &db, c = &check, clock](Request& req) -> asio::awaitable<Response> {
    const std::string admin = c->require_admin(req).pubkey;
    co_return co_await admin_change(*d, req, admin, &store::mark_paid, clock(), "marked paid");
  });

  router.post("/admin/invoices/:id/void", [d = &db, c = &check, clock](Request& req) -> asio::awaitable<Response> {
    const std::string admin = c->require_admin(req).pubkey;
    co_return co_await admin_change(*d, req, admin, &store::void_invoice, clock(), "voided");
  });
}

}  // namespace marina::billing
