#pragma once
// How a sandboxed query's rows become seed 004's JSON (sql_query "rows"):
// numbers as numbers, booleans as booleans, NULL as null, everything else
// as PostgreSQL's text.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace marina::tenants {

// Appends the rows of `chunk` to `rows` while the field bytes counted in
// `bytes` stay within `max_bytes` and `rows` holds fewer than `max_rows`.
// Returns false when a row was left out (the answer is truncated).
bool append_rows(const pqxx::result& chunk, nlohmann::json& rows, std::size_t max_rows, std::size_t& bytes,
                 std::size_t max_bytes);

// One field by its column type.
nlohmann::json field_json(const pqxx::field& field, pqxx::oid type);

}  // namespace marina::tenants
