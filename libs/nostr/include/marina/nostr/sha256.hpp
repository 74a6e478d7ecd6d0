#pragma once
// SHA-256 and HMAC-SHA256 through OpenSSL (hardware SHA extensions when the
// CPU has them).
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "marina/nostr/bytes.hpp"

namespace marina::nostr {

Bytes32 sha256(std::span<const std::uint8_t> data);
Bytes32 sha256(std::string_view data);

// HMAC-SHA256 over the concatenation of `parts` (avoids building the
// concatenation in a temporary buffer).
Bytes32 hmac_sha256(std::span<const std::uint8_t> key, std::initializer_list<std::span<const std::uint8_t>> parts);

}  // namespace marina::nostr
