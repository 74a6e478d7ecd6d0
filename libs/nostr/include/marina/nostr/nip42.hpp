#pragma once
// NIP-42 client authentication: a signed kind 22242 event carrying the relay
// URL and the relay's challenge.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/event.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr::nip42 {

inline constexpr Kind kKind = 22242;

enum class Failure {
  wrong_kind,         // "wrong-kind"
  bad_id,             // "bad-id"
  bad_signature,      // "bad-signature"
  stale,              // "stale": created_at outside now ± window
  missing_relay,      // "missing-relay": no relay tag
  wrong_relay,        // "wrong-relay"
  missing_challenge,  // "missing-challenge"
  wrong_challenge,    // "wrong-challenge"
};
std::string_view to_string(Failure f) noexcept;

struct Options {
  std::chrono::seconds window{600};  // NIP-42 suggests about ten minutes
  // TLS ends at the ingress, so the relay cannot tell whether the client
  // dialled ws:// or wss://; by default both name the same relay.
  bool scheme_must_match = false;
};

// A relay URL in comparable form for the AUTH `relay` tag: scheme and host
// lowercase, default port (ws 80, wss 443) removed, empty path as "/", one
// trailing slash of a longer path removed, fragment dropped. nullopt when it
// is not a ws:// or wss:// URL with a host. (The NIP-62 `relay` tag is
// matched more loosely, by libs/store's relay_url_key.)
std::optional<std::string> normalize_relay_url(std::string_view url);

// Checks an AUTH event the relay received (parsed with parse_event, so its
// format and id were checked there; the id is checked again here so callers
// with events from elsewhere are safe). Returns the authenticated pubkey.
Result<PublicKey, Failure> verify(const Event& auth, std::string_view relay_url, std::string_view challenge,
                                  std::int64_t now, const Options& options = {});

// The event a client sends (for tests and tools).
Event create_auth_event(const SecretKey& secret, std::string_view relay_url, std::string_view challenge,
                        std::int64_t created_at);

}  // namespace marina::nostr::nip42
