#pragma once
// Deletions that follow a rule rather than a list of ids, for one relay:
// NIP-09 `a` (every version of an address up to a time) and NIP-62 (every
// event of a pubkey, and gift wraps to it, up to a time). Each also records
// its tombstone. Planned per use: they are rare.
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "tag_rows.hpp"
#include "write_plan.hpp"

namespace marina::store::detail {

// Deletes the stored versions of plan.address_deletions; appends them to `deleted`.
void delete_addresses(pqxx::work& tx, const std::string& relay_id, const WritePlan& plan,
                      std::vector<DeletedEvent>& deleted);

// Applies plan.vanishes, tag rows included. A pubkey may have millions of
// events: they go in chunks, so memory stays bounded whatever its history.
void vanish(pqxx::work& tx, const std::string& relay_id, const WritePlan& plan);

}  // namespace marina::store::detail
