#pragma once
// What a handler answers. JSON bodies: see json.hpp; problems: see error.hpp.
#include <string>

#include "marina/http/headers.hpp"

namespace marina::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // text/plain; charset=utf-8
  static Response text(std::string body, int status = 200);
  // Any body with its Content-Type.
  static Response with_body(int status, std::string content_type, std::string body);
  // No body (204 by default).
  static Response empty(int status = 204);
};

// The standard reason phrase ("Not Found"), "Unknown" for codes it does not know.
std::string_view reason_phrase(int status);

}  // namespace marina::http
