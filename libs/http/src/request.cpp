#include "marina/http/request.hpp"

#include <stdexcept>

#include "marina/http/url.hpp"

namespace marina::http {

Request Request::make(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) {
    r.query_string = r.target.substr(q + 1);
    r.query_params = parse_query(r.query_string);
  }
  return r;
}

std::optional<std::string_view> Request::query(std::string_view name) const {
  for (const auto& [k, v] : query_params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  throw std::out_of_range("route '" + route + "' has no parameter '" + std::string(name) + "'");
}

}  // namespace marina::http
