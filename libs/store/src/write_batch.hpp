#pragma once
// EventStore::write's database work, inside the caller's transaction.
#include <cstdint>
#include <pqxx/pqxx>
#include <vector>

#include "marina/pg/pool.hpp"
#include "marina/store/event_store.hpp"

namespace marina::store::detail {

// Applies `batch` in `tx`; results in input order. The batch may mix relays:
// each relay's requests are replayed in their order. Statements per batch:
// the locks; per relay, one read of what the database holds for it and, when
// the plan deletes or remembers anything, one statement for that; then one
// insert of every relay's new events and their tags. Arrays travel as
// binary parameters.
//
// Concurrency: before reading anything, the transaction takes a
// transaction-scoped advisory lock per relay in the batch (in one sorted
// order, so two batches cannot deadlock). Everything that can race in the
// write path lives within one relay (replacement, deletion, vanish, the same
// id twice), so two batches for one relay apply one after the other, each
// reading what the previous one committed (READ COMMITTED takes a fresh
// snapshot per statement, after the lock was granted).
std::vector<WriteResult> write_batch(pqxx::work& tx, const std::vector<WriteRequest>& batch, std::int64_t now);

// Registers the write path's fixed statements on `pool` (parsed once per
// connection instead of per batch).
void prepare_write_statements(pg::Pool& pool);

}  // namespace marina::store::detail
