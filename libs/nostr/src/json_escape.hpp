#pragma once
// The escape table shared by the canonical serializer and the relay message
// builders.
#include <array>
#include <cstdint>

namespace marina::nostr::detail {

// For each byte: 0 = copy verbatim; otherwise the char after the backslash
// ('u' means \u00XX).
constexpr std::array<char, 256> make_escape_table() {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\n'] = 'n';
  t['"'] = '"';
  t['\\'] = '\\';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['\b'] = 'b';
  t['\f'] = 'f';
  return t;
}
inline constexpr std::array<char, 256> kEscape = make_escape_table();

}  // namespace marina::nostr::detail
