#include "text_rule.hpp"

namespace marina::http::detail {

std::optional<unsigned> refused_control(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return c;
    if (c == 0x7f) return c;
    // In UTF-8 the C1 controls are the two bytes C2 80..C2 9F.
    if (c == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return next;
    }
  }
  return std::nullopt;
}

Error invalid_text(std::string_view where, unsigned code_point) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string point = "U+00";
  point += hex[(code_point >> 4) & 0xf];
  point += hex[code_point & 0xf];
  return Error(400, "invalid-text", "Invalid text",
               "The text at " + std::string(where) + " contains the control character " + point +
                   "; text may contain no control characters but tab, line feed and carriage return.");
}

}  // namespace marina::http::detail
