#pragma once
// BIP-173 bech32 (the original checksum constant 1, not bech32m), over
// 5-bit groups, plus the 8-bit <-> 5-bit regrouping NIP-19 uses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marina::nostr::detail {

enum class Bech32Status { ok, too_long, bad_encoding, bad_checksum };

struct Bech32Decoded {
  Bech32Status status = Bech32Status::bad_encoding;
  std::string hrp;                  // lowercase
  std::vector<std::uint8_t> words;  // 5-bit values, checksum removed
};

// `max_length` bounds the whole string (NIP-19: 5000).
Bech32Decoded bech32_decode_words(std::string_view text, std::size_t max_length);
std::string bech32_encode_words(std::string_view hrp, const std::vector<std::uint8_t>& words);

// 8-bit bytes to 5-bit words, zero-padding the last group.
std::vector<std::uint8_t> bytes_to_words(const std::vector<std::uint8_t>& bytes);
// 5-bit words back to bytes; nullopt if the padding is more than 4 bits or
// not zero (BIP-173's rule for a canonical encoding).
std::optional<std::vector<std::uint8_t>> words_to_bytes(const std::vector<std::uint8_t>& words);

}  // namespace marina::nostr::detail
