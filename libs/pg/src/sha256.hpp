#pragma once
#include <string>
#include <string_view>

namespace marina::pg::detail {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace marina::pg::detail
