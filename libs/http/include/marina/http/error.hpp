#pragma once
// Errors as RFC 9457 problem details (application/problem+json):
//   {"type":"https://marina.dev/problems/relay-not-found","title":"Relay not found",
//    "status":404,"detail":"No relay with id 7.","code":"relay-not-found"}
// `code` is the stable, machine-readable part clients switch on; `title` is a short
// human summary of the code; `detail` is about this occurrence.
#include <stdexcept>
#include <string>
#include <string_view>

#include "marina/http/response.hpp"

namespace marina::http {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// Thrown by a handler to answer with a problem; the Router turns it into the response.
class Error : public std::runtime_error {
 public:
  Error(int status, std::string code, std::string title, std::string detail = {});

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }

  // The common ones, with their usual codes.
  static Error bad_request(std::string detail, std::string code = "bad-request");
  static Error unauthorized(std::string detail, std::string code = "unauthorized");
  static Error forbidden(std::string detail, std::string code = "forbidden");
  static Error not_found(std::string detail, std::string code = "not-found");
  static Error conflict(std::string detail, std::string code = "conflict");

 private:
  int status_;
  std::string code_;
  std::string title_;
  std::string detail_;
};

// "https://marina.dev/problems/<code>"
std::string problem_type(std::string_view code);

// A problem response. An empty title becomes the status' reason phrase; an
// empty detail is left out.
Response problem(int status, std::string_view code, std::string_view title = {}, std::string_view detail = {});
Response problem(const Error& error);

}  // namespace marina::http
