#include "marina/nostr/keys.hpp"

#include <openssl/crypto.h>
#include <secp256k1_extrakeys.h>

#include <algorithm>
#include <stdexcept>

#include "marina/nostr/hex.hpp"
#include "marina/nostr/random.hpp"
#include "secp_context.hpp"

namespace marina::nostr {

std::optional<SecretKey> SecretKey::from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 32) return std::nullopt;
  if (secp256k1_ec_seckey_verify(detail::secp_context(), bytes.data()) != 1) return std::nullopt;
  SecretKey k;
  std::copy(bytes.begin(), bytes.end(), k.bytes_.begin());
  return k;
}

std::optional<SecretKey> SecretKey::from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto bytes = hex_decode(hex);
  if (!bytes) return std::nullopt;
  auto key = from_bytes(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return key;
}

SecretKey SecretKey::generate() {
  // A uniformly random 256-bit string is out of range with probability
  // ~2^-128; loop anyway rather than assume.
  for (;;) {
    SecretKey k;
    random_bytes(k.bytes_);
    if (secp256k1_ec_seckey_verify(detail::secp_context(), k.bytes_.data()) == 1) return k;
  }
}

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

std::string SecretKey::reveal_hex() const { return hex_encode(bytes_); }

bool operator==(const SecretKey& a, const SecretKey& b) noexcept {
  return CRYPTO_memcmp(a.bytes_.data(), b.bytes_.data(), a.bytes_.size()) == 0;
}

PublicKey public_key(const SecretKey& secret) {
  const secp256k1_context* ctx = detail::secp_context();
  secp256k1_keypair keypair;
  secp256k1_xonly_pubkey xonly;
  PublicKey out;
  if (secp256k1_keypair_create(ctx, &keypair, secret.bytes().data()) != 1 ||
      secp256k1_keypair_xonly_pub(ctx, &xonly, nullptr, &keypair) != 1 ||
      secp256k1_xonly_pubkey_serialize(ctx, out.data(), &xonly) != 1) {
    OPENSSL_cleanse(&keypair, sizeof keypair);
    throw std::logic_error("secp256k1 rejected a validated secret key");
  }
  OPENSSL_cleanse(&keypair, sizeof keypair);
  return out;
}

bool is_valid_public_key(const PublicKey& key) {
  secp256k1_xonly_pubkey parsed;
  return secp256k1_xonly_pubkey_parse(detail::secp_context(), &parsed, key.data()) == 1;
}

}  // namespace marina::nostr
