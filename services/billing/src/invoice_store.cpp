#include "invoice_store.hpp"

#include "marina/core/uuid_text.hpp"

namespace marina::billing::store {
namespace {

std::string ts(const std::string& column) {
  return "to_char(" + column + R"( AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))";
}

std::string micros(const std::string& column) {
  return "((extract(epoch FROM date_trunc('second', " + column + "))::bigint * 1000000) + extract(microseconds FROM " +
         column + ")::bigint % 1000000)";
}

// A draft's totals are its items' sums now; a closed invoice's were written at closing.
const std::string kLiveSum =
    "(SELECT coalesce(sum(amount_msats) FILTER (WHERE kind = '%'), 0)::bigint FROM invoice_items x "
    "WHERE x.invoice_id = i.id)";

std::string live(const char* kind) {
  std::string s = kLiveSum;
  s.replace(s.find('%'), 1, kind);
  return s;
}

const std::string kColumns =
    "i.id::text, i.tenant_pubkey, i.period_index, " + ts("i.period_start") + ", " + ts("i.period_end") +
    ", i.status, CASE WHEN i.status = 'draft' THEN " + live("charge") + " ELSE i.charges_msats END" +
    ", CASE WHEN i.status = 'draft' THEN " + live("credit") + " ELSE i.credits_msats END" +
    ", i.amount_due_msats, i.carried_forward_msats, " + ts("i.opened_at") + ", " + ts("i.paid_at") +
    ", i.paid_via, i.paid_by, " + ts("i.voided_at") + ", i.voided_by, i.note, " + ts("i.created_at") + ", " +
    ts("i.updated_at") + ", " + micros("i.created_at");

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str());
}

Invoice invoice_from(const pqxx::row& r) {
  Invoice i;
  i.id = r[0].c_str();
  i.tenant_pubkey = r[1].c_str();
  i.period_index = r[2].as<std::int64_t>();
  i.period_start = r[3].c_str();
  i.period_end = r[4].c_str();
  i.status = r[5].c_str();
  i.charges_msats = r[6].as<std::int64_t>();
  i.credits_msats = r[7].as<std::int64_t>();
  i.amount_due_msats = r[8].as<std::int64_t>();
  i.carried_forward_msats = r[9].as<std::int64_t>();
  i.opened_at = opt(r[10]);
  i.paid_at = opt(r[11]);
  i.paid_via = opt(r[12]);
  i.paid_by = opt(r[13]);
  i.voided_at = opt(r[14]);
  i.voided_by = opt(r[15]);
  i.note = r[16].c_str();
  i.created_at = r[17].c_str();
  i.updated_at = r[18].c_str();
  i.cursor = std::to_string(r[19].as<std::int64_t>()) + "." + i.id;
  return i;
}

}  // namespace

std::optional<Invoice> find_invoice(pqxx::work& tx, const std::string& id, const std::optional<std::string>& tenant) {
  if (!core::is_uuid(id)) return std::nullopt;
  const auto rows = tx.exec_params("SELECT " + kColumns +
                                       " FROM invoices i WHERE i.id = $1::uuid AND ($2::text IS NULL OR "
                                       "i.tenant_pubkey = $2)",
                                   id, tenant);
  if (rows.empty()) return std::nullopt;
  return invoice_from(rows[0]);
}

std::vector<Item> invoice_items(pqxx::work& tx, const std::string& invoice_id) {
  std::vector<Item> out;
  const auto rows = tx.exec_params("SELECT id, kind, source, activity_id, relay_id::text, plan, amount_msats, "
                                   "description, " +
                                       ts("billed_at") + ", " + ts("created_at") +
                                       " FROM invoice_items WHERE invoice_id = $1::uuid ORDER BY billed_at, id",
                                   invoice_id);
  for (const auto& r : rows) {
    Item i;
    i.id = r[0].as<std::int64_t>();
    i.kind = r[1].c_str();
    i.source = r[2].c_str();
    if (!r[3].is_null()) i.activity_id = r[3].as<std::int64_t>();
    i.relay_id = opt(r[4]);
    i.plan = opt(r[5]);
    i.amount_msats = r[6].as<std::int64_t>();
    i.description = r[7].c_str();
    i.billed_at = r[8].c_str();
    i.created_at = r[9].c_str();
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<Invoice> tenant_invoices(pqxx::work& tx, const std::string& tenant, std::optional<std::int64_t> before,
                                     std::size_t limit) {
  std::vector<Invoice> out;
  const auto rows = tx.exec_params("SELECT " + kColumns +
                                       " FROM invoices i WHERE i.tenant_pubkey = $1 AND ($2::bigint IS NULL OR "
                                       "i.period_index < $2) ORDER BY i.period_index DESC LIMIT $3",
                                   tenant, before, static_cast<std::int64_t>(limit));
  for (const auto& r : rows) out.push_back(invoice_from(r));
  return out;
}

std::vector<Invoice> all_invoices(pqxx::work& tx, const AdminQuery& q) {
  std::vector<Invoice> out;
  const auto rows = tx.exec_params(
      "SELECT " + kColumns +
          " FROM invoices i WHERE ($1::text IS NULL OR i.status = $1) AND ($2::text IS NULL OR i.tenant_pubkey = $2)"
          " AND ($3::bigint IS NULL OR (i.created_at, i.id) < ('epoch'::timestamptz + $3::bigint * interval '1 "
          "microsecond', $4::uuid)) ORDER BY i.created_at DESC, i.id DESC LIMIT $5",
      q.status, q.tenant, q.cursor_micros, q.cursor_id, static_cast<std::int64_t>(q.limit));
  for (const auto& r : rows) out.push_back(invoice_from(r));
  return out;
}

bool mark_paid(pqxx::work& tx, const std::string& id, const std::string& admin, std::int64_t at,
               const std::string& note) {
  return tx
             .exec_params(
                 "UPDATE invoices SET status = 'paid', paid_at = to_timestamp($3), paid_via = 'out-of-band', "
                 "paid_by = $2, note = $4 WHERE id = $1::uuid AND status = 'open'",
                 id, admin, at, note)
             .affected_rows() == 1;
}

bool void_invoice(pqxx::work& tx, const std::string& id, const std::string& admin, std::int64_t at,
                  const std::string& note) {
  return tx
             .exec_params(
                 "UPDATE invoices SET status = 'void', voided_at = to_timestamp($3), voided_by = $2, note = $4 "
                 "WHERE id = $1::uuid AND status = 'open'",
                 id, admin, at, note)
             .affected_rows() == 1;
}

}  // namespace marina::billing::store
