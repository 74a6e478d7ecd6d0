#pragma once
// Target parsing: the query string's parameters (percent-decoding itself is
// marina/core/percent_decode.hpp, shared with libs/redis).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marina::http {

// "a=1&b=x%20y&flag" -> {{"a","1"},{"b","x y"},{"flag",""}}; empty items are skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace marina::http
