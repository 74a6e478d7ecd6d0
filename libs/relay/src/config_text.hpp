#pragma once
// The comma-separated lists of the configuration's string keys, split and
// joined one way for checking (config_value.cpp) and parsing (relay_config.cpp).
#include <string>
#include <string_view>
#include <vector>

namespace marina::relay {

// "1, 2,,3 " -> {"1","2","3"}: items trimmed of spaces and tabs, empty ones dropped.
std::vector<std::string> split_list(std::string_view text);
// {"1","2"} -> "1,2"
std::string join_list(const std::vector<std::string>& items);

}  // namespace marina::relay
