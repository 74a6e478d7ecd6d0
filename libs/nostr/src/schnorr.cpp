#include "marina/nostr/schnorr.hpp"

#include <openssl/crypto.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <stdexcept>

#include "marina/nostr/random.hpp"
#include "secp_context.hpp"

namespace marina::nostr {

bool schnorr_verify(const Signature& sig, std::span<const std::uint8_t> message, const PublicKey& key) {
  const secp256k1_context* ctx = detail::secp_context();
  secp256k1_xonly_pubkey parsed;
  if (secp256k1_xonly_pubkey_parse(ctx, &parsed, key.data()) != 1) return false;
  // libsecp256k1 0.2 verifies messages of any length (msglen), which is
  // what BIP-340 specifies; a null pointer is allowed only for length 0.
  return secp256k1_schnorrsig_verify(ctx, sig.data(), message.data(), message.size(), &parsed) == 1;
}

Signature schnorr_sign(std::span<const std::uint8_t> message, const SecretKey& secret,
                       const std::optional<Bytes32>& aux_rand) {
  const secp256k1_context* ctx = detail::secp_context();
  secp256k1_keypair keypair;
  if (secp256k1_keypair_create(ctx, &keypair, secret.bytes().data()) != 1)
    throw std::logic_error("secp256k1 rejected a validated secret key");
  Bytes32 aux = aux_rand ? *aux_rand : random_bytes32();
  secp256k1_schnorrsig_extraparams extra = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  extra.ndata = aux.data();
  Signature sig;
  const int ok = secp256k1_schnorrsig_sign_custom(ctx, sig.data(), message.data(), message.size(), &keypair, &extra);
  OPENSSL_cleanse(&keypair, sizeof keypair);
  if (ok != 1) throw std::runtime_error("secp256k1_schnorrsig_sign_custom failed");
  return sig;
}

}  // namespace marina::nostr
