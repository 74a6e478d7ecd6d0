#pragma once
// The words of seed 004's "Admin API" as tenants speaks them: a command is
// the decrypted content of a kind 23456 event, a JSON array
// ["command_name", params...]; every answer is one JSON object, encrypted into
// a kind 23457 event: a query ({query_type, total_results, timestamp, data}),
// a success ({query_type, status: "success", message, timestamp}) or an error
// ({query_type, status: "error", error, timestamp}). An error's `error` starts
// with its code from the seed's "Error Handling" table ("validation_failed:
// ...", "timeout: ..."), and `error_code` carries the code alone for programs.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace marina::tenants::admin {

// The seed's error codes. invalid_signature never becomes a response: an
// event whose signature fails is refused by relay-ingest with OK false
// ("invalid: bad signature") before it reaches tenants, since an answer
// encrypted to a key that did not sign would be an answer to nobody.
enum class ErrorCode { invalid_signature, unauthorized, invalid_command, validation_failed, database_error, timeout };
std::string_view to_string(ErrorCode code) noexcept;

// Thrown by a command: answered as an error response with this code.
class CommandError : public std::runtime_error {
 public:
  CommandError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// A decrypted command: its name and the whole array (params from index 1).
struct Command {
  std::string name;
  nlohmann::json array;
  // The params, JSON strings only: the i-th (from 1) or throws
  // validation_failed naming `what`.
  std::string text_param(std::size_t i, std::string_view what) const;
  std::size_t param_count() const { return array.size() - 1; }
};

// Parses the plaintext: a JSON array whose first element is a non-empty
// string. Throws CommandError invalid_command otherwise (the message says why).
Command parse_command(std::string_view plaintext);

// The response objects, with `timestamp` = now_s.
nlohmann::json query_response(std::string_view query_type, nlohmann::json data, std::int64_t now_s);
nlohmann::json success_response(std::string_view query_type, std::string_view message, std::int64_t now_s);
nlohmann::json error_response(std::string_view query_type, ErrorCode code, std::string_view message,
                              std::int64_t now_s);

// The response as text no longer than `max_bytes` (NIP-44 carries at most
// 65535 in the format every client reads): a `data` array too long to fit
// is cut from the end and the object says "truncated": true (total_results
// still counts everything); sql_query's `rows` likewise, row_count then
// counting the rows sent. Throws std::length_error when even an empty data
// does not fit (a response built wrong).
std::string serialize_bounded(nlohmann::json response, std::size_t max_bytes);

}  // namespace marina::tenants::admin
