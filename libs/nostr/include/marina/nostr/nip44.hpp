#pragma once
// NIP-44 version 2 encrypted payloads: secp256k1 ECDH, HKDF-SHA256, ChaCha20,
// HMAC-SHA256 over nonce||ciphertext, power-of-two padding, base64.
//
// Plaintext length. The audited v2 format, which every deployed client
// implements and which the official vectors test, carries the length in a
// 2-byte prefix, so plaintexts are 1..65535 bytes. The current NIP-44 text
// adds an extended 6-byte prefix for 65536..2^32-1 bytes, which existing
// clients cannot decrypt. Limits::max_plaintext_bytes selects: the default
// 65535 is the interoperable format (65536 bytes is an error, as the
// vectors require); raising it enables the extended prefix for encryption
// and decryption, up to that many bytes. Decryption also rejects payloads
// too large for the limit before decoding them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr::nip44 {

enum class Error {
  invalid_secret_key,        // not a scalar in [1, n-1]
  invalid_public_key,        // not the x coordinate of a curve point
  invalid_plaintext_length,  // 0, or above Limits::max_plaintext_bytes
  unknown_version,           // '#' flag, or a version byte other than 2
  invalid_payload_size,      // base64 text or decoded data of impossible length
  invalid_base64,
  invalid_mac,
  invalid_padding,
};
std::string_view to_string(Error e) noexcept;

inline constexpr std::size_t kMaxCompactPlaintext = 65535;
inline constexpr std::uint64_t kMaxExtendedPlaintext = 0xffffffffULL;

struct Limits {
  std::uint64_t max_plaintext_bytes = kMaxCompactPlaintext;  // at most kMaxExtendedPlaintext
};

using ConversationKey = Bytes32;

// HKDF-extract(salt = "nip44-v2", IKM = x(a*B)). Symmetric:
// conversation_key(a, B) == conversation_key(b, A).
Result<ConversationKey, Error> conversation_key(const SecretKey& secret, const PublicKey& peer);
// For vectors and callers holding raw bytes: validates both.
Result<ConversationKey, Error> conversation_key(const Bytes32& secret, const PublicKey& peer);

struct MessageKeys {
  std::array<std::uint8_t, 32> chacha_key{};
  std::array<std::uint8_t, 12> chacha_nonce{};
  std::array<std::uint8_t, 32> hmac_key{};
};
// HKDF-expand(PRK = conversation key, info = nonce, L = 76), split 32/12/32.
MessageKeys message_keys(const ConversationKey& key, const Bytes32& nonce);

// Length of the padded plaintext (without the length prefix). 64-bit: the
// value reaches 2^32 for the largest extended plaintexts.
std::uint64_t padded_length(std::uint64_t unpadded_length) noexcept;

// Encrypts with a fresh random nonce.
Result<std::string, Error> encrypt(std::string_view plaintext, const ConversationKey& key, const Limits& limits = {});
// Deterministic, for test vectors: never reuse a nonce with the same key.
Result<std::string, Error> encrypt(std::string_view plaintext, const ConversationKey& key, const Bytes32& nonce,
                                   const Limits& limits = {});

// Checks version, sizes, base64, the MAC (constant time, before
// decrypting) and the padding. Returns the plaintext bytes.
Result<std::string, Error> decrypt(std::string_view payload, const ConversationKey& key, const Limits& limits = {});

}  // namespace marina::nostr::nip44
