#pragma once
// Strict event parsing (NIP-01).
//
// Accepted: one JSON object with exactly the fields id, pubkey, created_at,
// kind, tags, content and sig, in any order, each once. An unknown field is
// rejected: an event's meaning must be exactly what its id commits to, and
// a relay that stored and re-sent extra fields would publish data nobody
// signed. Then:
// - id and pubkey: 64 lowercase hex chars; sig: 128 lowercase hex chars;
// - created_at: integer in [0, kMaxCreatedAt]; kind: integer in [0, 65535]
//   (written as JSON integers: 1.0 or 1e3 are rejected);
// - tags: array of tags, each a non-empty array of strings;
// - content: string;
// - strings must be valid UTF-8 and valid JSON (no raw control characters,
//   no lone surrogate escapes);
// - nothing but whitespace after the object.
// By default the id is then checked against the canonical serialization.
// The signature is NOT checked here (it costs ~50 us): call
// verify_signature() (event_sign.hpp) when it matters.
#include <string_view>

#include "marina/nostr/event.hpp"
#include "marina/nostr/parse_error.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr {

struct EventParseOptions {
  // Recompute the id and reject a mismatch (ParseErrorCode::id_mismatch).
  // Turn off only for events that were verified before (e.g. read back from
  // our own storage).
  bool check_id = true;
};

// Uses a per-thread parser: safe to call from many threads at once.
Result<Event, ParseError> parse_event(std::string_view json, const EventParseOptions& options = {});

// A rumor (NIP-59) is an event without a signature: the same rules, with the
// field set {id, pubkey, created_at, kind, tags, content}; a `sig` field is
// rejected because a rumor must stay deniable. Event::sig is left zero.
Result<Event, ParseError> parse_rumor(std::string_view json, const EventParseOptions& options = {});

}  // namespace marina::nostr
