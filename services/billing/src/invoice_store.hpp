#pragma once
// Reading invoices for the routes, and the two admin changes (mark paid out
// of band, void), as functions on an open transaction. A draft shows its
// items' live sums; a closed invoice the totals written when it closed.
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace marina::billing::store {

struct Invoice {
  std::string id;
  std::string tenant_pubkey;
  std::int64_t period_index = 0;
  std::string period_start, period_end;
  std::string status;
  std::int64_t charges_msats = 0;
  std::int64_t credits_msats = 0;
  std::int64_t amount_due_msats = 0;
  std::int64_t carried_forward_msats = 0;
  std::optional<std::string> opened_at, paid_at, paid_via, paid_by, voided_at, voided_by;
  std::string note;
  std::string created_at, updated_at;
  std::string cursor;  // "<created_at unix micros>.<id>" (the admin list's order)
};

struct Item {
  std::int64_t id = 0;
  std::string kind, source;
  std::optional<std::int64_t> activity_id;
  std::optional<std::string> relay_id, plan;
  std::int64_t amount_msats = 0;
  std::string description;
  std::string billed_at, created_at;
};

// `tenant` set: only that tenant's invoice.
std::optional<Invoice> find_invoice(pqxx::work& tx, const std::string& id, const std::optional<std::string>& tenant);
std::vector<Item> invoice_items(pqxx::work& tx, const std::string& invoice_id);

// A tenant's invoices, newest period first, before period `before` when set.
std::vector<Invoice> tenant_invoices(pqxx::work& tx, const std::string& tenant, std::optional<std::int64_t> before,
                                     std::size_t limit);

struct AdminQuery {
  std::optional<std::string> status;
  std::optional<std::string> tenant;
  std::optional<std::int64_t> cursor_micros;  // with cursor_id: rows after the cursor
  std::optional<std::string> cursor_id;
  std::size_t limit = 50;
};
// Every invoice, newest first (created_at, then id, descending).
std::vector<Invoice> all_invoices(pqxx::work& tx, const AdminQuery& q);

// open -> paid (paid_via out-of-band) / open -> void, by `admin` at `at`,
// only from the status given; false when the invoice is not in it.
bool mark_paid(pqxx::work& tx, const std::string& id, const std::string& admin, std::int64_t at,
               const std::string& note);
bool void_invoice(pqxx::work& tx, const std::string& id, const std::string& admin, std::int64_t at,
                  const std::string& note);

}  // namespace marina::billing::store
