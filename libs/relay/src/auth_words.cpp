#include "marina/relay/auth_words.hpp"

namespace marina::relay {

std::string kind_requires_auth_refusal(int kind) {
  return "auth-required: kind " + std::to_string(kind) + " is accepted only from authenticated clients (NIP-42 AUTH)";
}

std::string protected_event_refusal(bool authenticated_as_someone_else) {
  return authenticated_as_someone_else ? "restricted: this event may only be published by its author"
                                       : "auth-required: this event may only be published by its author";
}

std::string auth_refusal(nostr::nip42::Failure failure) {
  using nostr::nip42::Failure;
  switch (failure) {
    case Failure::wrong_kind: return "invalid: an AUTH event must be of kind 22242";
    case Failure::bad_id: return "invalid: the event id does not match its content";
    case Failure::bad_signature: return "invalid: bad signature";
    case Failure::stale: return "invalid: created_at is more than 10 minutes from now";
    case Failure::missing_relay: return "invalid: the AUTH event has no relay tag";
    case Failure::wrong_relay: return "invalid: the relay tag does not name this relay";
    case Failure::missing_challenge: return "invalid: the AUTH event has no challenge tag";
    case Failure::wrong_challenge: return "invalid: the challenge tag is not this connection's challenge";
  }
  return "invalid: AUTH refused";
}

}  // namespace marina::relay
