#include "marina/nostr/hex.hpp"

namespace marina::nostr {

namespace {

constexpr char kDigits[] = "0123456789abcdef";

// -1 for anything that is not a lowercase hex digit.
constexpr int lower_value(unsigned char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

constexpr int any_case_value(unsigned char c) noexcept {
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return lower_value(c);
}

}  // namespace

void hex_encode_to(std::span<const std::uint8_t> bytes, char* out) noexcept {
  for (std::uint8_t b : bytes) {
    *out++ = kDigits[b >> 4];
    *out++ = kDigits[b & 0x0f];
  }
}

bool lower_hex_decode_to(std::string_view hex, std::span<std::uint8_t> out) noexcept {
  if (hex.size() != 2 * out.size()) return false;
  // Decode everything and check once: no early exit on the hot path.
  int bad = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = lower_value(static_cast<unsigned char>(hex[2 * i]));
    const int lo = lower_value(static_cast<unsigned char>(hex[2 * i + 1]));
    bad |= hi | lo;
    out[i] = static_cast<std::uint8_t>((hi << 4) | (lo & 0x0f));
  }
  return bad >= 0;
}

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  std::string s(2 * bytes.size(), '\0');
  hex_encode_to(bytes, s.data());
  return s;
}

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = any_case_value(static_cast<unsigned char>(hex[2 * i]));
    const int lo = any_case_value(static_cast<unsigned char>(hex[2 * i + 1]));
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return out;
}

bool is_lower_hex(std::string_view s, std::size_t length) noexcept {
  if (s.size() != length) return false;
  for (char c : s)
    if (lower_value(static_cast<unsigned char>(c)) < 0) return false;
  return true;
}

}  // namespace marina::nostr
