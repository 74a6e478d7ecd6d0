#pragma once
// %XX escapes in URLs: a request target's path and query (libs/http) and
// the userinfo of a connection URL (REDIS_URL's password may hold ':' '@' '/').
#include <string>
#include <string_view>

namespace marina::core {

// Decodes %XX escapes (either case of hex digit); with `plus_is_space`
// (query strings) '+' becomes ' '. A '%' not followed by two hex digits is
// kept as it is.
std::string percent_decode(std::string_view in, bool plus_is_space = false);

}  // namespace marina::core
