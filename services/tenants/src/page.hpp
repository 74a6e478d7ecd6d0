#pragma once
// Pagination of every list: `limit` (1..200, default 50) and an opaque
// `cursor` (the previous page's next_cursor), in a stable order (creation
// time, then key), optionally filtered by `status`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "marina/http/request.hpp"

namespace marina::tenants {

struct PageRequest {
  std::size_t limit = 50;
  std::optional<std::string> cursor;   // validated by whoever decodes it
  std::optional<std::string> status;   // one of `allowed_statuses`
};

// Reads ?limit, ?cursor, ?status; throws http::Error 400 invalid-limit /
// invalid-status.
PageRequest read_page_request(const http::Request& req, const std::vector<std::string>& allowed_statuses);

// A time-ordered cursor "<unix microseconds>.<key>", split. nullopt when malformed.
struct TimeCursor {
  std::int64_t micros = 0;
  std::string key;
};
std::optional<TimeCursor> parse_time_cursor(const std::string& cursor);

}  // namespace marina::tenants
