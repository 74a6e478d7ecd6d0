#include "admin_protocol.hpp"

namespace marina::tenants::admin {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_signature: return "invalid_signature";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::invalid_command: return "invalid_command";
    case ErrorCode::validation_failed: return "validation_failed";
    case ErrorCode::database_error: return "database_error";
    case ErrorCode::timeout: return "timeout";
  }
  return "database_error";
}

std::string Command::text_param(std::size_t i, std::string_view what) const {
  if (i >= array.size())
    throw CommandError(ErrorCode::validation_failed, name + " needs " + std::string(what) + " (parameter " +
                                                         std::to_string(i) + ")");
  if (!array[i].is_string())
    throw CommandError(ErrorCode::validation_failed, std::string(what) + " must be a string");
  return array[i].get<std::string>();
}

Command parse_command(std::string_view plaintext) {
  nlohmann::json parsed = nlohmann::json::parse(plaintext, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw CommandError(ErrorCode::invalid_command, "the command is not JSON");
  if (!parsed.is_array() || parsed.empty())
    throw CommandError(ErrorCode::invalid_command, "the command must be a JSON array [\"command_name\", params...]");
  if (!parsed[0].is_string() || parsed[0].get<std::string>().empty())
    throw CommandError(ErrorCode::invalid_command, "the first element of the command must be its name");
  Command c;
  c.name = parsed[0].get<std::string>();
  c.array = std::move(parsed);
  return c;
}

nlohmann::json query_response(std::string_view query_type, nlohmann::json data, std::int64_t now_s) {
  const auto total = data.is_array() ? data.size() : std::size_t{1};
  return {{"query_type", query_type}, {"total_results", total}, {"timestamp", now_s}, {"data", std::move(data)}};
}

nlohmann::json success_response(std::string_view query_type, std::string_view message, std::int64_t now_s) {
  return {{"query_type", query_type}, {"status", "success"}, {"message", message}, {"timestamp", now_s}};
}

nlohmann::json error_response(std::string_view query_type, ErrorCode code, std::string_view message,
                              std::int64_t now_s) {
  return {{"query_type", query_type},
          {"status", "error"},
          {"error", std::string(to_string(code)) + ": " + std::string(message)},
          {"error_code", to_string(code)},
          {"timestamp", now_s}};
}

std::string serialize_bounded(nlohmann::json response, std::size_t max_bytes) {
  // U+FFFD for invalid UTF-8 (a pattern echoed from a command), never a throw.
  auto dump = [](const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  std::string text = dump(response);
  if (text.size() <= max_bytes) return text;
  // What can be cut: a query's `data`, or sql_query's `rows` (whose
  // row_count then says how many came back).
  const char* key = response.contains("rows") ? "rows" : "data";
  auto data = response.find(key);
  if (data == response.end() || !data->is_array())
    throw std::length_error("admin response of " + std::to_string(text.size()) + " bytes has no data to cut");
  // Binary search on how many items fit: responses are at most a few hundred KB.
  nlohmann::json all = std::move(*data);
  std::size_t lo = 0, hi = all.size();
  response["truncated"] = true;
  auto with = [&](std::size_t n) {
    nlohmann::json cut = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i) cut.push_back(all[i]);
    response[key] = std::move(cut);
    if (response.contains("row_count")) response["row_count"] = n;
    return dump(response);
  };
  if (with(0).size() > max_bytes) throw std::length_error("admin response does not fit even without data");
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (with(mid).size() <= max_bytes) lo = mid;
    else hi = mid - 1;
  }
  return with(lo);
}

}  // namespace marina::tenants::admin
