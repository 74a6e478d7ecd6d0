#include "ledger.hpp"

namespace marina::billing::ledger {
namespace {

// billing's key space for the two-int advisory locks ('MB'); the write path
// uses its own ('MS'), migrations the one-bigint space.
constexpr int kTenantLockSpace = 0x4d42;

// Unix seconds of a timestamptz column, floored (activity times carry
// microseconds; billing counts whole seconds).
std::string secs(const std::string& column) { return "floor(extract(epoch FROM " + column + "))::bigint"; }

std::int64_t as_i64(const pqxx::field& f) { return f.as<std::int64_t>(); }

}  // namespace

void lock_tenant(pqxx::work& tx, const std::string& tenant) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", kTenantLockSpace, tenant);
}

std::optional<Account> find_account(pqxx::work& tx, const std::string& tenant) {
  const auto rows = tx.exec_params("SELECT " + secs("anchor_at") + ", " + secs("accrued_through") +
                                       " FROM billing_accounts WHERE tenant_pubkey = $1",
                                   tenant);
  if (rows.empty()) return std::nullopt;
  return Account{tenant, as_i64(rows[0][0]), as_i64(rows[0][1])};
}

void create_account(pqxx::work& tx, const std::string& tenant, std::int64_t anchor) {
  tx.exec_params(
      "INSERT INTO billing_accounts (tenant_pubkey, anchor_at, accrued_through) VALUES ($1, to_timestamp($2), "
      "to_timestamp($2))",
      tenant, anchor);
}

void set_accrued_through(pqxx::work& tx, const std::string& tenant, std::int64_t at) {
  tx.exec_params(
      "UPDATE billing_accounts SET accrued_through = greatest(accrued_through, to_timestamp($2)) "
      "WHERE tenant_pubkey = $1",
      tenant, at);
}

std::optional<Draft> find_draft(pqxx::work& tx, const std::string& tenant) {
  const auto rows = tx.exec_params("SELECT id::text, period_index, " + secs("period_start") + ", " +
                                       secs("period_end") +
                                       " FROM invoices WHERE tenant_pubkey = $1 AND status = 'draft'",
                                   tenant);
  if (rows.empty()) return std::nullopt;
  return Draft{rows[0][0].c_str(), as_i64(rows[0][1]), as_i64(rows[0][2]), as_i64(rows[0][3])};
}

Draft insert_draft(pqxx::work& tx, const std::string& tenant, std::int64_t index, std::int64_t start,
                   std::int64_t end) {
  const auto rows = tx.exec_params(
      "INSERT INTO invoices (tenant_pubkey, period_index, period_start, period_end) "
      "VALUES ($1, $2, to_timestamp($3), to_timestamp($4)) RETURNING id::text",
      tenant, index, start, end);
  return Draft{rows[0][0].c_str(), index, start, end};
}

void insert_item(pqxx::work& tx, const NewItem& i) {
  tx.exec_params(
      "INSERT INTO invoice_items (invoice_id, kind, source, activity_id, relay_id, plan, amount_msats, "
      "description, billed_at) VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7, $8, to_timestamp($9))",
      i.invoice_id, i.kind, i.source, i.activity_id, i.relay_id, i.plan, i.amount_msats, i.description, i.billed_at);
}

Sums item_sums(pqxx::work& tx, const std::string& invoice_id) {
  const auto row = tx.exec_params1(
      "SELECT coalesce(sum(amount_msats) FILTER (WHERE kind = 'charge'), 0)::bigint, "
      "coalesce(sum(amount_msats) FILTER (WHERE kind = 'credit'), 0)::bigint "
      "FROM invoice_items WHERE invoice_id = $1::uuid",
      invoice_id);
  return Sums{as_i64(row[0]), as_i64(row[1])};
}

void close_invoice(pqxx::work& tx, const Closing& c) {
  const bool nothing_due = c.amount_due == 0;
  tx.exec_params(
      "UPDATE invoices SET status = $2, charges_msats = $3, credits_msats = $4, amount_due_msats = $5, "
      "carried_forward_msats = $6, opened_at = to_timestamp($7), "
      "paid_at = CASE WHEN $8 THEN to_timestamp($7) END, paid_via = CASE WHEN $8 THEN 'nothing-due' END "
      "WHERE id = $1::uuid AND status = 'draft'",
      c.invoice_id, std::string(nothing_due ? "paid" : "open"), c.sums.charges, c.sums.credits, c.amount_due,
      c.carried_forward, c.at, nothing_due);
}

std::map<std::string, RelayState> relay_states(pqxx::work& tx, const std::string& tenant) {
  std::map<std::string, RelayState> out;
  for (const auto& row : tx.exec_params(
           "SELECT relay_id::text, plan, status, price_msats FROM billing_relays WHERE tenant_pubkey = $1", tenant)) {
    RelayState s{row[0].c_str(), row[1].c_str(), row[2].c_str(), as_i64(row[3])};
    out.emplace(s.relay_id, s);
  }
  return out;
}

void save_relay_state(pqxx::work& tx, const std::string& tenant, const RelayState& s) {
  tx.exec_params(
      "INSERT INTO billing_relays (relay_id, tenant_pubkey, plan, status, price_msats) "
      "VALUES ($1::uuid, $2, $3, $4, $5) ON CONFLICT (relay_id) DO UPDATE SET plan = excluded.plan, "
      "status = excluded.status, price_msats = excluded.price_msats, updated_at = now()",
      s.relay_id, tenant, s.plan, s.status, s.price_msats);
}

std::map<std::string, std::int64_t> plan_prices(pqxx::work& tx) {
  std::map<std::string, std::int64_t> out;
  for (const auto& row : tx.exec("SELECT id, price_msats FROM plans")) out[row[0].c_str()] = as_i64(row[1]);
  return out;
}

std::map<std::string, std::string> relay_subdomains(pqxx::work& tx, const std::string& tenant) {
  std::map<std::string, std::string> out;
  for (const auto& row : tx.exec_params("SELECT id::text, subdomain FROM relays WHERE tenant_pubkey = $1", tenant))
    out[row[0].c_str()] = row[1].c_str();
  return out;
}

std::vector<Activity> unseen_activity(pqxx::work& tx, const std::string& tenant, std::int64_t now) {
  std::vector<Activity> out;
  const auto rows = tx.exec_params(
      "SELECT a.id, a.relay_id::text, a.action, a.plan, a.status, " + secs("a.created_at") +
          " FROM relay_activity a WHERE a.tenant_pubkey = $1 AND a.created_at <= to_timestamp($2) "
          "AND NOT EXISTS (SELECT 1 FROM billing_seen_activity s WHERE s.activity_id = a.id) "
          "ORDER BY a.created_at, a.id",
      tenant, now);
  for (const auto& row : rows)
    out.push_back(Activity{as_i64(row[0]), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str(),
                           as_i64(row[5])});
  return out;
}

void mark_seen(pqxx::work& tx, std::int64_t activity_id) {
  tx.exec_params("INSERT INTO billing_seen_activity (activity_id) VALUES ($1)", activity_id);
}

std::vector<std::string> tenants_with_new_activity(pqxx::work& tx, std::optional<std::int64_t> scanned_to,
                                                   std::int64_t lookback, std::int64_t now, std::int64_t limit) {
  std::vector<std::string> out;
  const auto rows = tx.exec_params(
      "SELECT DISTINCT a.tenant_pubkey FROM relay_activity a "
      "WHERE ($1::bigint IS NULL OR a.created_at > to_timestamp($1::bigint - $2)) "
      "AND a.created_at <= to_timestamp($3) "
      "AND NOT EXISTS (SELECT 1 FROM billing_seen_activity s WHERE s.activity_id = a.id) LIMIT $4",
      scanned_to, lookback, now, limit);
  for (const auto& row : rows) out.emplace_back(row[0].c_str());
  return out;
}

std::vector<std::string> tenants_with_ended_period(pqxx::work& tx, std::int64_t now, std::int64_t limit) {
  std::vector<std::string> out;
  const auto rows = tx.exec_params(
      "SELECT tenant_pubkey FROM invoices WHERE status = 'draft' AND period_end <= to_timestamp($1) "
      "ORDER BY period_end LIMIT $2",
      now, limit);
  for (const auto& row : rows) out.emplace_back(row[0].c_str());
  return out;
}

std::optional<std::int64_t> job_scanned_to(pqxx::work& tx, const std::string& job) {
  const auto rows = tx.exec_params("SELECT " + secs("scanned_to") + " FROM billing_jobs WHERE job = $1", job);
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return as_i64(rows[0][0]);
}

void record_job_run(pqxx::work& tx, const std::string& job, std::optional<std::int64_t> scanned_to) {
  tx.exec_params(
      "INSERT INTO billing_jobs (job, scanned_to, last_run_at, runs) VALUES ($1, to_timestamp($2), now(), 1) "
      "ON CONFLICT (job) DO UPDATE SET scanned_to = greatest(billing_jobs.scanned_to, excluded.scanned_to), "
      "last_run_at = now(), runs = billing_jobs.runs + 1",
      job, scanned_to);
}

std::int64_t database_now(pqxx::work& tx) {
  return as_i64(tx.exec1("SELECT " + secs("now()"))[0]);
}

}  // namespace marina::billing::ledger
