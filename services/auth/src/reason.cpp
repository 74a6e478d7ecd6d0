#include "reason.hpp"

namespace marina::auth {

std::string_view code(Reason r) noexcept {
  switch (r) {
    case Reason::missing_authorization: return "missing-authorization";
    case Reason::header_too_large: return "header-too-large";
    case Reason::bad_scheme: return "bad-scheme";
    case Reason::bad_base64: return "bad-base64";
    case Reason::bad_json: return "bad-json";
    case Reason::bad_id: return "bad-id";
    case Reason::bad_signature: return "bad-signature";
    case Reason::wrong_kind: return "wrong-kind";
    case Reason::missing_tag: return "missing-tag";
    case Reason::wrong_url: return "wrong-url";
    case Reason::wrong_method: return "wrong-method";
    case Reason::stale: return "stale";
    case Reason::future: return "future";
    case Reason::payload_mismatch: return "payload-mismatch";
    case Reason::replayed: return "replayed";
    case Reason::rate_limited: return "rate-limited";
  }
  return "bad-json";
}

std::string_view describe(Reason r) noexcept {
  switch (r) {
    case Reason::missing_authorization: return "send Authorization: Nostr <base64 of a signed kind 27235 event> (NIP-98)";
    case Reason::header_too_large: return "the Authorization header is too large";
    case Reason::bad_scheme: return "the Authorization scheme must be Nostr, in a single Authorization header";
    case Reason::bad_base64: return "the token after 'Nostr ' is not base64";
    case Reason::bad_json: return "the token is not a well-formed Nostr event";
    case Reason::bad_id: return "the event id is not the hash of the event";
    case Reason::bad_signature: return "the event signature does not verify";
    case Reason::wrong_kind: return "the event kind must be 27235";
    case Reason::missing_tag: return "the event needs a u tag and a method tag";
    case Reason::wrong_url: return "the u tag must be exactly the absolute URL of this request, query string included";
    case Reason::wrong_method: return "the method tag must be exactly this request's HTTP method";
    case Reason::stale: return "the event's created_at is too old; sign a fresh token";
    case Reason::future: return "the event's created_at is in the future; check the client's clock";
    case Reason::payload_mismatch: return "the payload tag must be the SHA-256 of the request body, as hex";
    case Reason::replayed: return "this token was already used; sign a new one for every mutating request";
    case Reason::rate_limited: return "too many failed authentications from this address";
  }
  return "NIP-98 authentication failed";
}

}  // namespace marina::auth
