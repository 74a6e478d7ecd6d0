#include "page.hpp"

#include <algorithm>
#include <charconv>

#include "marina/http/error.hpp"

namespace marina::tenants {

PageRequest read_page_request(const http::Request& req, const std::vector<std::string>& allowed_statuses) {
  PageRequest page;
  if (auto limit = req.query("limit")) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > 200)
      throw http::Error(400, "invalid-limit", "Invalid limit", "limit is an integer from 1 to 200.");
    page.limit = n;
  }
  if (auto cursor = req.query("cursor"); cursor && !cursor->empty()) page.cursor = std::string(*cursor);
  if (auto status = req.query("status"); status && !status->empty()) {
    if (std::find(allowed_statuses.begin(), allowed_statuses.end(), *status) == allowed_statuses.end())
      throw http::Error(400, "invalid-status", "Invalid status", "Unknown status '" + std::string(*status) + "'.");
    page.status = std::string(*status);
  }
  return page;
}

std::optional<TimeCursor> parse_time_cursor(const std::string& cursor) {
  const auto dot = cursor.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= cursor.size() || cursor.size() > 128) return std::nullopt;
  TimeCursor c;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + dot, c.micros);
  if (ec != std::errc() || end != cursor.data() + dot) return std::nullopt;
  c.key = cursor.substr(dot + 1);
  return c;
}

}  // namespace marina::tenants
