#pragma once
// One HTTP request as a handler sees it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "marina/http/headers.hpp"

namespace marina::http {

struct Request {
  std::string method;        // as sent, e.g. "GET"
  std::string target;        // as sent, e.g. "/tenant/relays/7?full=1"
  std::string path;          // the target without the query, still percent-encoded
  std::string query_string;  // after '?', raw
  std::vector<std::pair<std::string, std::string>> query_params;  // decoded, in order
  Headers headers;
  std::string body;
  std::vector<std::pair<std::string, std::string>> path_params;  // decoded, set by the Router
  std::string route;           // the matched pattern ("/tenant/relays/:id"); empty when none matched
  std::string remote_address;  // the peer's IP address
  unsigned version = 11;       // 10 or 11
  bool keep_alive = true;

  // Builds method, target, path, query_string and query_params.
  static Request make(std::string method, std::string target);

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  // The first query parameter of that name, decoded.
  std::optional<std::string_view> query(std::string_view name) const;
  // A path parameter of the matched route. Throws std::out_of_range when the
  // route has no such parameter (a programming error, not a client error).
  std::string_view param(std::string_view name) const;
};

}  // namespace marina::http
