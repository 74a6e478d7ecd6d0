#include "bech32.hpp"

#include <array>

#include "marina/core/ascii.hpp"

namespace marina::nostr::detail {

namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

constexpr std::array<std::int8_t, 128> make_reverse() {
  std::array<std::int8_t, 128> r{};
  for (auto& v : r) v = -1;
  for (int i = 0; i < 32; ++i) {
    r[static_cast<unsigned char>(kCharset[i])] = static_cast<std::int8_t>(i);
    const char upper = kCharset[i] >= 'a' && kCharset[i] <= 'z' ? static_cast<char>(kCharset[i] - 32) : kCharset[i];
    r[static_cast<unsigned char>(upper)] = static_cast<std::int8_t>(i);
  }
  return r;
}
constexpr auto kReverse = make_reverse();

std::uint32_t polymod(const std::vector<std::uint8_t>& values) {
  constexpr std::uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  std::uint32_t chk = 1;
  for (std::uint8_t v : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  }
  return chk;
}

std::vector<std::uint8_t> hrp_expand(std::string_view hrp) {
  std::vector<std::uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  return out;
}

}  // namespace

Bech32Decoded bech32_decode_words(std::string_view text, std::size_t max_length) {
  Bech32Decoded d;
  if (text.size() > max_length) {
    d.status = Bech32Status::too_long;
    return d;
  }
  bool has_lower = false, has_upper = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return d;  // bad_encoding
    has_lower |= c >= 'a' && c <= 'z';
    has_upper |= c >= 'A' && c <= 'Z';
  }
  if (has_lower && has_upper) return d;
  const auto sep = text.rfind('1');
  // Non-empty hrp, and at least the 6 checksum chars after the separator.
  if (sep == std::string_view::npos || sep == 0 || sep + 7 > text.size()) return d;

  for (char c : text.substr(0, sep)) d.hrp.push_back(core::ascii_lower(c));
  std::vector<std::uint8_t> values = hrp_expand(d.hrp);
  for (char c : text.substr(sep + 1)) {
    const int v = kReverse[static_cast<unsigned char>(c) & 127];
    if (v < 0) return d;
    values.push_back(static_cast<std::uint8_t>(v));
  }
  if (polymod(values) != 1) {
    d.status = Bech32Status::bad_checksum;
    return d;
  }
  const std::size_t data_start = d.hrp.size() * 2 + 1;
  d.words.assign(values.begin() + static_cast<std::ptrdiff_t>(data_start), values.end() - 6);
  d.status = Bech32Status::ok;
  return d;
}

std::string bech32_encode_words(std::string_view hrp, const std::vector<std::uint8_t>& words) {
  std::vector<std::uint8_t> values = hrp_expand(hrp);
  values.insert(values.end(), words.begin(), words.end());
  values.insert(values.end(), 6, 0);
  const std::uint32_t mod = polymod(values) ^ 1;
  std::string out(hrp);
  out.push_back('1');
  for (std::uint8_t w : words) out.push_back(kCharset[w]);
  for (int i = 0; i < 6; ++i) out.push_back(kCharset[(mod >> (5 * (5 - i))) & 31]);
  return out;
}

std::vector<std::uint8_t> bytes_to_words(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::uint8_t> out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 31));
    }
  }
  if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (5 - bits)) & 31));
  return out;
}

std::optional<std::vector<std::uint8_t>> words_to_bytes(const std::vector<std::uint8_t>& words) {
  std::vector<std::uint8_t> out;
  out.reserve(words.size() * 5 / 8);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t w : words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0) return std::nullopt;
  return out;
}

}  // namespace marina::nostr::detail
