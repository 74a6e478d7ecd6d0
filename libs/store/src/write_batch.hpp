#pragma once
// EventStore::write's database work, inside the caller's transaction.
#include <cstdint>
#include <pqxx/pqxx>
#include <vector>

#include "marina/store/event_store.hpp"

namespace marina::store::detail {

// Applies `batch` in `tx`; results in input order. The batch may mix relays:
// each relay's requests are replayed in their order. Statements per batch,
// each covering every relay: the locks; one read of what the database holds
// for the batch; when the plans delete or remember anything, one statement
// each for that (and one per relay with NIP-09 `a` deletions or NIP-62
// vanishes); one insert of the new events and their tags. Arrays travel as
// binary parameters (write_statements.hpp).
//
// Concurrency: before reading anything, the transaction takes a
// transaction-scoped advisory lock per relay in the batch (in one sorted
// order, so two batches cannot deadlock). Everything that can race in the
// write path lives within one relay (replacement, deletion, vanish, the same
// id twice), so two batches for one relay apply one after the other, each
// reading what the previous one committed (READ COMMITTED takes a fresh
// snapshot per statement, after the lock was granted).
std::vector<WriteResult> write_batch(pqxx::work& tx, const std::vector<WriteRequest>& batch, std::int64_t now);

// The write lock of one relay (canonical uuid), as write_batch takes it: for
// other writers of a relay's events (an admin's ban) to apply between batches.
void lock_relay_writes(pqxx::work& tx, const std::string& relay_id);

}  // namespace marina::store::detail
