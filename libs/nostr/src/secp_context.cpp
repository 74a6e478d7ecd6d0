#include "secp_context.hpp"

#include <stdexcept>

#include "marina/nostr/random.hpp"

namespace marina::nostr::detail {

namespace {

secp256k1_context* create_randomized_context() {
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (ctx == nullptr) throw std::runtime_error("secp256k1_context_create failed");
  // Blinding for the signing code paths against timing/power side channels.
  // This is the only call that mutates the context, and it runs once, here.
  Bytes32 seed = random_bytes32();
  if (secp256k1_context_randomize(ctx, seed.data()) != 1) {
    secp256k1_context_destroy(ctx);
    throw std::runtime_error("secp256k1_context_randomize failed");
  }
  return ctx;
}

}  // namespace

const secp256k1_context* secp_context() {
  // Created on first use; never destroyed, so threads still running at exit
  // cannot use a destroyed context.
  static const secp256k1_context* ctx = create_randomized_context();
  return ctx;
}

}  // namespace marina::nostr::detail
