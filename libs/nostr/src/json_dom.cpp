#include "json_dom.hpp"

namespace marina::nostr::detail {

simdjson::error_code parse_dom(std::string_view json, simdjson::dom::element& out) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end of the input.
  // Copying into a per-thread padded buffer (instead of letting simdjson
  // allocate a padded copy per call) keeps a parse allocation-free.
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;
  padded.assign(json);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  return parser.parse(padded.data(), json.size(), false).get(out);
}

std::string malformed_json_message(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR: return "malformed JSON: invalid UTF-8";
    case simdjson::UNESCAPED_CHARS: return "malformed JSON: unescaped control character in a string";
    case simdjson::STRING_ERROR: return "malformed JSON: invalid string escape";
    case simdjson::NUMBER_ERROR: return "malformed JSON: invalid number";
    case simdjson::DEPTH_ERROR: return "malformed JSON: nested too deeply";
    case simdjson::EMPTY: return "malformed JSON: empty message";
    case simdjson::CAPACITY: return "malformed JSON: document too large";
    default: return "malformed JSON";
  }
}

IntRead read_bounded_int(simdjson::dom::element value, std::int64_t max, std::int64_t& out) noexcept {
  switch (value.type()) {
    case simdjson::dom::element_type::INT64: {
      const std::int64_t v = value.get_int64().value_unsafe();
      if (v < 0 || v > max) return IntRead::out_of_range;
      out = v;
      return IntRead::ok;
    }
    case simdjson::dom::element_type::UINT64: return IntRead::out_of_range;  // above INT64_MAX
    default: return IntRead::not_integer;
  }
}

std::string quoted_field(std::string_view key) {
  std::string q = "\"";
  q.append(key.substr(0, 64));
  if (key.size() > 64) q.append("...");
  q.push_back('"');
  return q;
}

std::string_view trim_json_whitespace(std::string_view s) noexcept {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace marina::nostr::detail
