#pragma once
// The write path's fixed statements and how their parameters travel.
//
// Prepared once per connection. Each write transaction sets
// plan_cache_mode = force_generic_plan (transaction-local, in its first
// statement), so they are planned once per connection, not per batch: with
// 16 partitions per table, planning a statement could cost more than running
// it. Their relay ids are parameters; partitions are pruned when the plan
// starts (one relay) or per row (relay ids from unnest()).
//
// Keys are joined row by row from unnest() rather than compared with
// `= ANY(array)`, which a plan may check as a filter over a whole relay
// instead of seeking each key.
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "binary_array.hpp"
#include "marina/pg/pool.hpp"

namespace marina::store::detail {

namespace statement {
// ($1 relay uuid, $2 ids, $3 pubkeys, $4/$5/$6 address pubkeys/kinds/ds)
//   -> (what, relay_id, id, pubkey, kind, d_tag, created_at)
inline constexpr const char* read_prior_one = "marina_store_read_prior_one";
// The same for many relays: every key array has a relay array beside it
// ($1 relays, $2 ids, $3 relays, $4 pubkeys, $5 relays, $6 pubkeys, $7 kinds, $8 ds).
inline constexpr const char* read_prior_many = "marina_store_read_prior_many";
// ($1 relays, $2 ids) -> (relay_id, raw) of the deleted events.
inline constexpr const char* delete_events = "marina_store_delete_events";
// NIP-09 `e` tombstones ($1 relays, $2 ids, $3 deleter pubkeys).
inline constexpr const char* remember_deleted = "marina_store_remember_deleted";
// Tag rows by every column of event_tags_by_value
// ($1 relays, $2 names, $3 values, $4 created_at, $5 event ids).
inline constexpr const char* delete_tags = "marina_store_delete_tags";
// Events ($1..$9) and their tag rows ($10..$16).
inline constexpr const char* insert = "marina_store_insert";
}  // namespace statement

void prepare_write_statements(pg::Pool& pool);

// Parameters of one statement, all sent in binary.
class Params {
 public:
  // Adds a parameter; returns its placeholder ("$3").
  std::string add(pqxx::binarystring value);
  std::string add(BinaryArray& array) { return add(array.finish()); }
  std::string add_uuid(const std::string& canonical);

  pqxx::result run(pqxx::work& tx, const std::string& sql) const;
  pqxx::result run_prepared(pqxx::work& tx, const char* statement) const;

 private:
  std::vector<pqxx::binarystring> values_;
};

}  // namespace marina::store::detail
