#pragma once
// Target parsing: path and query split, percent-decoding.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marina::http {

// Decodes %XX escapes; with `plus_is_space` (query strings) '+' becomes ' '.
// A '%' not followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view in, bool plus_is_space = false);

// "a=1&b=x%20y&flag" -> {{"a","1"},{"b","x y"},{"flag",""}}; empty items are skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace marina::http
