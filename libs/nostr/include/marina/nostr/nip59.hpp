#pragma once
// NIP-59 gift wrap, as NIP-17 direct messages use it:
//   rumor (unsigned event with id)
//   -> seal (kind 13, rumor NIP-44-encrypted sender->recipient, signed by the
//      sender, no tags)
//   -> gift wrap (kind 1059, seal NIP-44-encrypted with a one-time random
//      key to the recipient, tagged ["p", recipient], signed by that key).
// Seal and wrap timestamps are random, up to two days in the past, so
// created_at does not reveal when the message was sent.
#include <cstdint>
#include <string>
#include <string_view>

#include "marina/nostr/event.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr::nip59 {

inline constexpr Kind kSealKind = 13;
inline constexpr Kind kGiftWrapKind = 1059;
inline constexpr Kind kEphemeralGiftWrapKind = 21059;
inline constexpr std::int64_t kMaxTimestampTweak = 2 * 24 * 60 * 60;

// An unsigned event: Event with sig zero and raw = its JSON without "sig".
using Rumor = Event;

// The rumor `author` publishes (id computed, raw filled).
Rumor create_rumor(const EventTemplate& tmpl, const PublicKey& author);

// Kind 13 seal of `rumor` to `recipient`, signed by `sender` (whose public
// key must be the rumor's pubkey, else std::invalid_argument). created_at is
// `now` minus a random 0..2 days.
Event seal(const Rumor& rumor, const SecretKey& sender, const PublicKey& recipient, std::int64_t now);

// Gift wrap of `seal` to `recipient` with a fresh random key.
// `kind` is 1059, or 21059 for the ephemeral variant.
Event gift_wrap(const Event& seal, const PublicKey& recipient, std::int64_t now, Kind kind = kGiftWrapKind);

// seal + gift_wrap for one recipient: what a NIP-17 sender does per party.
Event wrap_for(const Rumor& rumor, const SecretKey& sender, const PublicKey& recipient, std::int64_t now);

enum class ErrorCode {
  wrong_kind,        // not 1059/21059 (wrap), not 13 (seal)
  bad_signature,     // seal or wrap id/signature invalid
  decrypt_failed,    // NIP-44 error (see message)
  bad_inner_event,   // decrypted text is not a valid seal / rumor
  seal_has_tags,     // NIP-59: a seal's tags MUST be empty
  author_mismatch,   // rumor.pubkey != seal.pubkey: an impersonation attempt
};
struct Error {
  ErrorCode code;
  std::string message;
};

// Decrypts a gift wrap addressed to `recipient` and returns the seal inside,
// with its id and signature checked.
Result<Event, Error> unwrap(const Event& wrap, const SecretKey& recipient);
// Decrypts a seal and returns the rumor, with its id checked and its pubkey
// equal to the seal's.
Result<Rumor, Error> unseal(const Event& seal, const SecretKey& recipient);

struct Opened {
  Event seal;
  Rumor rumor;  // rumor.pubkey is the authenticated sender
};
// unwrap then unseal.
Result<Opened, Error> open(const Event& wrap, const SecretKey& recipient);

}  // namespace marina::nostr::nip59
