#pragma once
// What a client reads when NIP-42 authentication stands in its way, and when
// its AUTH is refused, in one place: relay-query (the AUTH verb, the gates of
// REQ, COUNT and EVENT, direct-message privacy) and relay-ingest (NIP-70) both
// answer with these, so a client reads the same words from either.
// Every text carries its NIP-01 prefix.
#include <string>
#include <string_view>

#include "marina/nostr/nip42.hpp"

namespace marina::relay {

// nip42_auth_required: REQ and COUNT are CLOSED, EVENT is refused until AUTH.
inline constexpr std::string_view kAuthRequiredToRead =
    "auth-required: this relay serves only authenticated clients (NIP-42 AUTH)";
inline constexpr std::string_view kAuthRequiredToPublish =
    "auth-required: this relay takes events only from authenticated clients (NIP-42 AUTH)";
// nip42_auth_required_kinds: "auth-required: kind <k> is accepted only from authenticated clients (NIP-42 AUTH)".
std::string kind_requires_auth_refusal(int kind);
// A REQ or COUNT that asks only for direct messages (kinds 4, 1059, 14, 13:
// private_events.hpp) from a connection that has not authenticated.
inline constexpr std::string_view kPrivateKindsNeedAuth =
    "auth-required: direct messages are served only to their authenticated author or recipient (NIP-42 AUTH)";
// NIP-70: an event tagged ["-"] from a connection not authenticated as its
// author: "auth-required: ..." before any AUTH, "restricted: ..." after AUTH
// as someone else (NIP-42: authenticated, but not allowed).
std::string protected_event_refusal(bool authenticated_as_someone_else);
// An AUTH event sent with EVENT: it is not for publishing (NIP-42: relays
// must not broadcast it).
inline constexpr std::string_view kAuthEventNotPublishable =
    "invalid: kind 22242 is for AUTH messages, not for publishing";

// The OK of a refused AUTH.
std::string auth_refusal(nostr::nip42::Failure failure);
inline constexpr std::string_view kChallengeExpired =
    "invalid: the challenge has expired; a new one was sent, authenticate with it";
inline constexpr std::string_view kChallengeReused = "invalid: this challenge was already used by this pubkey";

}  // namespace marina::relay
