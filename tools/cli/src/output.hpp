#pragma once
// How the CLI shows answers: the JSON as is with --json, otherwise a table
// for lists and "key: value" lines for one resource.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace marina::cli {

struct Column {
  std::string title;
  std::string field;  // top-level field of each row
};

// Rows of `items` under `columns`, aligned; "(none)" when empty.
void print_table(std::ostream& out, const nlohmann::json& items, const std::vector<Column>& columns);
// Every scalar field of `object` as "key: value", nested objects as JSON.
void print_object(std::ostream& out, const nlohmann::json& object);
// A JSON value as a cell: strings bare, null empty, the rest as JSON.
std::string cell(const nlohmann::json& value);

}  // namespace marina::cli
