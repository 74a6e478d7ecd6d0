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

// The request body as JSON, so a handler can just call it. Throws Error 400:
//   invalid-json   empty, not JSON, or not UTF-8;
//   duplicate-key  an object names one key twice (which value was meant is
//                  not the server's to guess; the relays refuse them too);
//   invalid-text   a string or key holds a control character other than tab,
//                  line feed and carriage return (U+0000..U+001F, U+007F..U+009F):
//                  PostgreSQL text and jsonb cannot hold U+0000, and no API
//                  field means anything by the others. The detail names the
//                  field as a JSON pointer ("/name").
// Every JSON body of the API goes through here, and the Router holds path and
// query parameters to the same text rule: it is the same everywhere.
nlohmann::json parse_json(const Request& request);

}  // namespace marina::http
