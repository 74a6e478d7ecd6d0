#pragma once
// secp256k1 keys as Nostr uses them: a 32-byte secret scalar and the BIP-340
// x-only public key derived from it.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"

namespace marina::nostr {

// A valid secret key: a scalar in [1, n-1]. Construction is only through the
// checked factories, so holding a SecretKey means holding a usable key. The
// bytes are wiped when the object dies; there is no operator<< and no
// implicit hex, so a key does not end up in a log by accident.
class SecretKey {
 public:
  static std::optional<SecretKey> from_bytes(std::span<const std::uint8_t> bytes);
  // 64 hex chars, either case (keys are typed by people and tools).
  static std::optional<SecretKey> from_hex(std::string_view hex);
  // A fresh random key from the CSPRNG.
  static SecretKey generate();

  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  std::span<const std::uint8_t, 32> bytes() const noexcept { return bytes_; }
  // Explicit, for storage and tests.
  std::string reveal_hex() const;

  friend bool operator==(const SecretKey& a, const SecretKey& b) noexcept;

 private:
  SecretKey() = default;
  std::array<std::uint8_t, 32> bytes_{};
};

// The x-only public key of `secret` (BIP-340 "bytes(d*G)").
PublicKey public_key(const SecretKey& secret);

// True when `key` is the x coordinate of a point on the curve (what BIP-340's
// lift_x accepts). Events signed by anything else cannot verify.
bool is_valid_public_key(const PublicKey& key);

}  // namespace marina::nostr
