#pragma once
// JSON request and response bodies (nlohmann/json). Kept apart from
// response.hpp so that code which does not speak JSON does not compile it.
#include <nlohmann/json.hpp>

#include "marina/http/error.hpp"
#include "marina/http/request.hpp"
#include "marina/http/response.hpp"

namespace marina::http {

inline constexpr std::string_view kJsonContentType = "application/json";

// `body` serialized, Content-Type: application/json.
Response json_response(const nlohmann::json& body, int status = 200);

// The request body as JSON. Throws Error 400 with code "invalid-json" when it is
// empty or not JSON, so a handler can just call it.
nlohmann::json parse_json(const Request& request);

}  // namespace marina::http
