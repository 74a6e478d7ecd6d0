#pragma once
// The NIP-98 checks on one Authorization header, with no I/O: scheme and
// base64, the event's JSON, id and signature, kind 27235, `u` equal to the
// absolute request URL (query included), `method` equal, then created_at
// within the window. Replay protection and rate limiting need Redis and live
// in the Verifier.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/result.hpp"
#include "original_request.hpp"
#include "reason.hpp"

namespace marina::auth {

struct TokenRules {
  std::chrono::seconds window{60};
  std::size_t max_header_bytes = 8 * 1024;
};

// What a valid token establishes.
struct Token {
  nostr::PublicKey pubkey;
  nostr::EventId event_id;
  nostr::Signature signature;  // names this one token (replay_guard.hpp)
  std::int64_t created_at = 0;
  std::optional<std::string> payload_sha256;  // the payload tag, lowercase hex
};

// `authorization` is nullopt when the header is absent.
nostr::Result<Token, Reason> check_token(std::optional<std::string_view> authorization, const OriginalRequest& request,
                                         std::int64_t now, const TokenRules& rules);

// What a token says about itself, read without checking its signature (so
// not to be believed): whose it claims to be, and whether it could pass
// check_token at all. Cheap: no signature work.
struct TokenClaim {
  std::optional<std::string> pubkey;  // hex, once the event parsed
  bool plausible = false;             // every check but the signature holds
};
TokenClaim claim_of(std::optional<std::string_view> authorization, const OriginalRequest& request, std::int64_t now,
                    const TokenRules& rules);

}  // namespace marina::auth
