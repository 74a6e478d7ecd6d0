#include "marina/http/headers.hpp"

#include <algorithm>

#include "marina/core/ascii.hpp"

namespace marina::http {

using core::ascii_iequals;

void Headers::set(std::string name, std::string value) {
  remove(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return ascii_iequals(f.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (ascii_iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (ascii_iequals(n, name)) out.emplace_back(v);
  }
  return out;
}

}  // namespace marina::http
