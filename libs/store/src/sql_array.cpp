#include "sql_array.hpp"

#include <charconv>

#include "marina/nostr/bytes.hpp"

namespace marina::store::detail {

void ArrayLiteral::separate() {
  if (text_.size() > 1) text_.push_back(',');
}

void ArrayLiteral::text(std::string_view value) {
  separate();
  text_.reserve(text_.size() + value.size() + 2);
  text_.push_back('"');
  std::size_t from = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '"' || c == '\\') {
      text_.append(value.data() + from, i - from);
      text_.push_back('\\');
      from = i;
    }
  }
  text_.append(value.data() + from, value.size() - from);
  text_.push_back('"');
}

void ArrayLiteral::bytes(std::span<const std::uint8_t> value) {
  separate();
  // `"\\x…"`: the array parser turns `\\` into `\`, and byteain reads `\x` hex.
  text_.append("\"\\\\x");
  const std::size_t at = text_.size();
  text_.resize(at + 2 * value.size());
  nostr::hex_encode_to(value, text_.data() + at);
  text_.push_back('"');
}

void ArrayLiteral::integer(std::int64_t value) {
  separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  text_.append(buf, end);
}

void ArrayLiteral::null() {
  separate();
  text_.append("NULL");
}

std::string ArrayLiteral::finish() && {
  text_.push_back('}');
  return std::move(text_);
}

}  // namespace marina::store::detail
