#pragma once
// BIP-340 Schnorr signatures over secp256k1.
//
// All calls share ONE libsecp256k1 context, created on first use and
// randomized once with 32 bytes from the CSPRNG (side-channel blinding for
// signing). After that the context is only ever used through a const
// pointer, and libsecp256k1 documents every function taking a const context
// as safe to call concurrently; the only mutating call,
// secp256k1_context_randomize, happens inside the function-local static's
// initializer, which C++ runs exactly once. So signing and verifying are
// safe from any number of threads without a lock.
#include <cstdint>
#include <optional>
#include <span>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::nostr {

// Verifies `sig` over a message of any length (BIP-340 allows variable
// length; Nostr signs the 32-byte event id). False for an invalid public key
// as well as for a wrong signature.
bool schnorr_verify(const Signature& sig, std::span<const std::uint8_t> message, const PublicKey& key);

// Signs `message` (any length). `aux_rand` is BIP-340's auxiliary randomness:
// fresh random bytes by default; tests pass fixed bytes to reproduce vectors.
Signature schnorr_sign(std::span<const std::uint8_t> message, const SecretKey& secret,
                       const std::optional<Bytes32>& aux_rand = std::nullopt);

}  // namespace marina::nostr
