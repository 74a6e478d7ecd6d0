#include "marina/nostr/base64.hpp"

#include <array>

namespace marina::nostr {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto kDecode = make_decode_table();

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text, Base64Padding padding) {
  // Split off the padding, then the body must be complete groups plus a
  // final group of 2 or 3 chars.
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  const std::string_view body = text.substr(0, text.size() - pad);
  const std::size_t tail = body.size() % 4;
  if (tail == 1) return std::nullopt;
  const std::size_t expected_pad = tail == 0 ? 0 : 4 - tail;
  if (pad != 0 && pad != expected_pad) return std::nullopt;
  if (pad == 0 && expected_pad != 0 && padding == Base64Padding::required) return std::nullopt;

  std::vector<std::uint8_t> out;
  out.reserve(body.size() / 4 * 3 + 2);
  std::size_t i = 0;
  for (; i + 4 <= body.size(); i += 4) {
    const int a = kDecode[static_cast<unsigned char>(body[i])];
    const int b = kDecode[static_cast<unsigned char>(body[i + 1])];
    const int c = kDecode[static_cast<unsigned char>(body[i + 2])];
    const int d = kDecode[static_cast<unsigned char>(body[i + 3])];
    if ((a | b | c | d) < 0) return std::nullopt;
    const std::uint32_t v = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) | (std::uint32_t(c) << 6) | d;
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
  }
  if (tail >= 2) {
    const int a = kDecode[static_cast<unsigned char>(body[i])];
    const int b = kDecode[static_cast<unsigned char>(body[i + 1])];
    const int c = tail == 3 ? kDecode[static_cast<unsigned char>(body[i + 2])] : 0;
    if ((a | b | c) < 0) return std::nullopt;
    const std::uint32_t v = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) | (std::uint32_t(c) << 6);
    // Bits beyond the last whole byte must be zero (canonical encoding).
    if (tail == 2 && (v & 0xffff) != 0) return std::nullopt;
    if (tail == 3 && (v & 0xff) != 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (tail == 3) out.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  return out;
}

}  // namespace marina::nostr
