#include "marina/http/json.hpp"

namespace marina::http {

Response json_response(const nlohmann::json& body, int status) {
  return Response::with_body(status, std::string(kJsonContentType),
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

nlohmann::json parse_json(const Request& request) {
  if (request.body.empty()) throw Error(400, "invalid-json", "Invalid JSON", "The request body is empty.");
  auto parsed = nlohmann::json::parse(request.body, nullptr, false);
  if (parsed.is_discarded()) throw Error(400, "invalid-json", "Invalid JSON", "The request body is not valid JSON.");
  return parsed;
}

}  // namespace marina::http
