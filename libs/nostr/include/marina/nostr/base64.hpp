#pragma once
// Base64 with the standard alphabet (RFC 4648 section 4). NIP-44 payloads use
// it with padding; NIP-98 tokens are produced by many clients without
// padding (the example in NIP-98 itself has none), so decoding lets the
// caller say whether padding is required.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marina::nostr {

// Always padded.
std::string base64_encode(std::span<const std::uint8_t> bytes);
inline std::string base64_encode(std::string_view bytes) {
  return base64_encode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

enum class Base64Padding {
  required,  // length must be a multiple of 4, with '=' where needed
  optional,  // also accepts the same text with the trailing '=' removed
};

// nullopt on a character outside the alphabet, misplaced or wrong padding, an
// impossible length, or non-zero bits after the last full byte (so every byte
// string has exactly one accepted encoding per padding style).
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text,
                                                       Base64Padding padding = Base64Padding::required);

// Bytes that base64_decode() would produce for `encoded_length` chars; used
// to reject oversized input before decoding.
constexpr std::size_t base64_decoded_size_bound(std::size_t encoded_length) noexcept {
  return (encoded_length / 4) * 3 + 3;
}

}  // namespace marina::nostr
