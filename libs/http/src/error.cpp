#include "marina/http/error.hpp"

#include <nlohmann/json.hpp>

namespace marina::http {

Error::Error(int status, std::string code, std::string title, std::string detail)
    : std::runtime_error(code + ": " + (detail.empty() ? title : detail)),
      status_(status),
      code_(std::move(code)),
      title_(std::move(title)),
      detail_(std::move(detail)) {}

Error Error::bad_request(std::string detail, std::string code) {
  return Error(400, std::move(code), "Bad request", std::move(detail));
}
Error Error::unauthorized(std::string detail, std::string code) {
  return Error(401, std::move(code), "Unauthorized", std::move(detail));
}
Error Error::forbidden(std::string detail, std::string code) {
  return Error(403, std::move(code), "Forbidden", std::move(detail));
}
Error Error::not_found(std::string detail, std::string code) {
  return Error(404, std::move(code), "Not found", std::move(detail));
}
Error Error::conflict(std::string detail, std::string code) {
  return Error(409, std::move(code), "Conflict", std::move(detail));
}

std::string problem_type(std::string_view code) { return "https://marina.dev/problems/" + std::string(code); }

Response problem(int status, std::string_view code, std::string_view title, std::string_view detail) {
  nlohmann::json body = {
      {"type", problem_type(code)},
      {"title", title.empty() ? reason_phrase(status) : title},
      {"status", status},
      {"code", code},
  };
  if (!detail.empty()) body["detail"] = detail;
  // Invalid UTF-8 in a detail (it may quote client input) is replaced, never a throw.
  return Response::with_body(status, std::string(kProblemContentType),
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response problem(const Error& error) { return problem(error.status(), error.code(), error.title(), error.detail()); }

}  // namespace marina::http
