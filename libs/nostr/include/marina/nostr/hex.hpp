#pragma once
// Hex encoding. Output is always lowercase. Decoding is strict about case
// where the protocol is (NIP-01 ids, keys and signatures must be lowercase);
// hex_decode() accepts either case for human input such as CLI arguments.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marina/nostr/bytes.hpp"

namespace marina::nostr {

std::string hex_encode(std::span<const std::uint8_t> bytes);
inline std::string hex_encode(std::string_view bytes) {
  return hex_encode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

// Any even length, either case. nullopt on odd length or a non-hex char.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex);

// True when `s` is exactly `length` chars of [0-9a-f].
bool is_lower_hex(std::string_view s, std::size_t length) noexcept;

}  // namespace marina::nostr
