#pragma once
// The body half of a passport check. auth never sees a request's body (the
// ingress's auth subrequest carries none), so the passport carries the
// NIP-98 token's `payload` hash and the service that receives the body
// compares the two.
#include <string>
#include <string_view>

#include "marina/passport/passport.hpp"

namespace marina::passport {

// SHA-256 of `body` as 64 lowercase hex characters: what a NIP-98 `payload`
// tag holds for that body.
std::string body_sha256_hex(std::string_view body);

enum class PayloadCheck {
  ok,        // the token signed this body, or there is no body and no hash
  missing,   // a body the token did not sign (no payload tag)
  mismatch,  // the token signed another body (or a body where none was sent)
};

// A non-empty body needs a payload hash, and a hash must be the body's. An
// empty body with no hash is fine (GET, DELETE, an empty POST).
PayloadCheck check_payload(const Identity& identity, std::string_view body);

}  // namespace marina::passport
