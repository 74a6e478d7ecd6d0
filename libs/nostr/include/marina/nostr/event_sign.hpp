#pragma once
// Creating and checking signed events.
#include <stdexcept>

#include "marina/nostr/event.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::nostr {

// Builds the event for `tmpl` signed by `secret`: pubkey, id, BIP-340 sig
// (fresh auxiliary randomness) and `raw` = its compact JSON. Throws
// std::invalid_argument when the template cannot make a valid event (content
// or a tag not UTF-8, an empty tag, created_at outside [0, kMaxCreatedAt]):
// that is a bug in the caller, not bad network input.
Event sign(const EventTemplate& tmpl, const SecretKey& secret);

// The checks sign() makes, for code that builds unsigned events (rumors).
// Throws std::invalid_argument naming the problem.
void check_template(const EventTemplate& tmpl);

// id == SHA-256 of the canonical serialization.
bool has_valid_id(const Event& e);
// sig is a valid BIP-340 signature of id by pubkey. Does not re-hash: pair
// with has_valid_id (parse_event checks the id by default).
bool verify_signature(const Event& e);

}  // namespace marina::nostr
