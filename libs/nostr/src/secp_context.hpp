#pragma once
// The one libsecp256k1 context of the process (see schnorr.hpp for why
// sharing it across threads is safe).
#include <secp256k1.h>

namespace marina::nostr::detail {

const secp256k1_context* secp_context();

}  // namespace marina::nostr::detail
