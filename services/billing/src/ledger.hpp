#pragma once
// The SQL of billing's own tables, as functions on an open transaction
// (accrual.cpp and closing.cpp decide what runs together). Times are unix
// seconds. Reads tenants' tables (relay_activity, relays, plans) and never
// writes them.
#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace marina::billing::ledger {

// Serializes all billing work on one tenant, across replicas, until the
// transaction ends (pg_advisory_xact_lock in billing's own two-int key space).
void lock_tenant(pqxx::work& tx, const std::string& tenant);

struct Account {
  std::string tenant;
  std::int64_t anchor = 0;
  std::int64_t accrued_through = 0;
};
std::optional<Account> find_account(pqxx::work& tx, const std::string& tenant);
void create_account(pqxx::work& tx, const std::string& tenant, std::int64_t anchor);
void set_accrued_through(pqxx::work& tx, const std::string& tenant, std::int64_t at);

struct Draft {
  std::string id;
  std::int64_t index = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
};
std::optional<Draft> find_draft(pqxx::work& tx, const std::string& tenant);
Draft insert_draft(pqxx::work& tx, const std::string& tenant, std::int64_t index, std::int64_t start,
                   std::int64_t end);

struct NewItem {
  std::string invoice_id;
  std::string kind;    // charge | credit
  std::string source;  // activity | period | carry
  std::optional<std::int64_t> activity_id;
  std::optional<std::string> relay_id;
  std::optional<std::string> plan;
  std::int64_t amount_msats = 0;  // > 0
  std::string description;
  std::int64_t billed_at = 0;
};
void insert_item(pqxx::work& tx, const NewItem& item);

// Sums of a draft's items.
struct Sums {
  std::int64_t charges = 0;
  std::int64_t credits = 0;
};
Sums item_sums(pqxx::work& tx, const std::string& invoice_id);

struct Closing {
  std::string invoice_id;
  Sums sums;
  std::int64_t amount_due = 0;
  std::int64_t carried_forward = 0;
  std::int64_t at = 0;
};
// draft -> open, or -> paid (paid_via nothing-due) when nothing is due.
void close_invoice(pqxx::work& tx, const Closing& closing);

// What billing last billed each of the tenant's relays as.
struct RelayState {
  std::string relay_id;
  std::string plan;
  std::string status;
  std::int64_t price_msats = 0;
};
std::map<std::string, RelayState> relay_states(pqxx::work& tx, const std::string& tenant);
void save_relay_state(pqxx::work& tx, const std::string& tenant, const RelayState& state);

// Monthly price of every plan, by id.
std::map<std::string, std::int64_t> plan_prices(pqxx::work& tx);
// relay id -> subdomain for the tenant's relays (item descriptions).
std::map<std::string, std::string> relay_subdomains(pqxx::work& tx, const std::string& tenant);

struct Activity {
  std::int64_t id = 0;
  std::string relay_id;
  std::string action;
  std::string plan;
  std::string status;
  std::int64_t at = 0;
};
// The tenant's activity rows billing has not consumed, created at or before
// `now`, in time order (then id).
std::vector<Activity> unseen_activity(pqxx::work& tx, const std::string& tenant, std::int64_t now);
void mark_seen(pqxx::work& tx, std::int64_t activity_id);

// Tenants with activity not consumed yet, created in (scanned_to - lookback, now]
// (every row when scanned_to is null).
std::vector<std::string> tenants_with_new_activity(pqxx::work& tx, std::optional<std::int64_t> scanned_to,
                                                   std::int64_t lookback, std::int64_t now, std::int64_t limit);
// Tenants whose draft's period ended at or before `now`.
std::vector<std::string> tenants_with_ended_period(pqxx::work& tx, std::int64_t now, std::int64_t limit);

// The job's scan mark (database time of the last complete scan) and its run count.
std::optional<std::int64_t> job_scanned_to(pqxx::work& tx, const std::string& job);
// Advances the mark (never back) and counts a run. Returns the database's now().
void record_job_run(pqxx::work& tx, const std::string& job, std::optional<std::int64_t> scanned_to);
std::int64_t database_now(pqxx::work& tx);

}  // namespace marina::billing::ledger
