#pragma once
// Cryptographically secure random bytes (OpenSSL's DRBG, seeded by the OS).
#include <cstdint>
#include <span>

#include "marina/nostr/bytes.hpp"

namespace marina::nostr {

// Throws std::runtime_error if the generator fails, which OpenSSL only does
// when the OS cannot provide entropy: there is no safe way to continue.
void random_bytes(std::span<std::uint8_t> out);

inline Bytes32 random_bytes32() {
  Bytes32 b;
  random_bytes(b.bytes);
  return b;
}

// Uniform in [0, bound) without modulo bias; bound must be > 0.
std::uint64_t random_below(std::uint64_t bound);

}  // namespace marina::nostr
