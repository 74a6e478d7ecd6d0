#include "output.hpp"

#include <algorithm>

namespace marina::cli {

std::string cell(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

void print_table(std::ostream& out, const nlohmann::json& items, const std::vector<Column>& columns) {
  if (!items.is_array() || items.empty()) {
    out << "(none)\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> widths;
  for (const auto& c : columns) widths.push_back(c.title.size());
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      row.push_back(item.contains(columns[i].field) ? cell(item[columns[i].field]) : "");
      widths[i] = std::max(widths[i], row.back().size());
    }
    rows.push_back(std::move(row));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out << cells[i];
      if (i + 1 < cells.size()) out << std::string(widths[i] - cells[i].size() + 2, ' ');
    }
    out << '\n';
  };
  std::vector<std::string> titles;
  for (const auto& c : columns) titles.push_back(c.title);
  line(titles);
  for (const auto& row : rows) line(row);
}

void print_object(std::ostream& out, const nlohmann::json& object) {
  std::size_t width = 0;
  for (const auto& [key, _] : object.items()) width = std::max(width, key.size());
  for (const auto& [key, value] : object.items()) {
    if (value.is_array()) continue;  // lists are printed by the caller as tables
    out << key << ':' << std::string(width - key.size() + 1, ' ') << cell(value) << '\n';
  }
}

}  // namespace marina::cli
