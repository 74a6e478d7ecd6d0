#pragma once
// Large relays built in SQL (generate_series) rather than by signing each
// event: the store never verifies signatures, and a million signed events
// would take minutes to make. The rows have the shapes real ones have: kind 1
// notes (60%) with a `t` and a `p` tag and ~600 bytes of content, reactions
// (kind 7, 20%) with `e` and `p`, reposts (6) and comments (1111); one
// created_at per second; authors in a fixed set; 1% of events tagged #t "x".
#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "marina/nostr/bytes.hpp"

namespace marina::store::testing {

// Author n of the synthetic set (sha256 of "author:<n>").
nostr::PublicKey synthetic_author(int n);

// Adds events number [from, to) of the synthetic stream to `relay_id`
// (ids are derived from relay and number, so reloading a range is a no-op
// only if the caller checks first). Returns how many were inserted.
std::int64_t insert_synthetic_events(pqxx::connection& conn, const std::string& relay_id, std::int64_t from,
                                     std::int64_t to, int authors, std::int64_t first_created_at);

}  // namespace marina::store::testing
