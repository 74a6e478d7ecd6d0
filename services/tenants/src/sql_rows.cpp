#include "sql_rows.hpp"

#include <cmath>
#include <cstdlib>
#include <string_view>

namespace marina::tenants {

namespace {

// Built-in type oids (pg_type.h; stable across PostgreSQL versions).
constexpr pqxx::oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
                    kNumeric = 1700;

nlohmann::json number_or_text(std::string_view text) {
  // NaN and Infinity are not JSON numbers; numeric can hold more digits than a
  // double: both stay text.
  char* end = nullptr;
  const std::string s(text);
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) return s;
  return d;
}

}  // namespace

nlohmann::json field_json(const pqxx::field& field, pqxx::oid type) {
  if (field.is_null()) return nullptr;
  const std::string_view text(field.c_str(), field.size());
  switch (type) {
    case kBool:
      return text == "t";
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
      return std::strtoll(field.c_str(), nullptr, 10);
    case kFloat4:
    case kFloat8:
      return number_or_text(text);
    case kNumeric:
      // Up to 15 digits a double holds exactly; longer numerics stay text.
      if (text.size() <= 15) return number_or_text(text);
      return std::string(text);
    default:
      return std::string(text);
  }
}

bool append_rows(const pqxx::result& chunk, nlohmann::json& rows, std::size_t max_rows, std::size_t& bytes,
                 std::size_t max_bytes) {
  const auto columns = chunk.columns();
  std::vector<pqxx::oid> types;
  for (pqxx::row::size_type c = 0; c < columns; ++c) types.push_back(chunk.column_type(c));
  for (const auto& row : chunk) {
    if (rows.size() >= max_rows) return false;
    std::size_t row_bytes = 0;
    for (const auto& field : row) row_bytes += field.size();
    if (bytes + row_bytes > max_bytes) return false;
    bytes += row_bytes;
    nlohmann::json out = nlohmann::json::array();
    for (pqxx::row::size_type c = 0; c < columns; ++c) out.push_back(field_json(row[c], types[c]));
    rows.push_back(std::move(out));
  }
  return true;
}

}  // namespace marina::tenants
