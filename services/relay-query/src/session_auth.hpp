#pragma once
// One connection's NIP-42 state: its challenge (random, sent when the
// connection opens), when it was issued, the pubkeys that authenticated, and
// which of them used the current challenge. Pure (no socket, no clock of its
// own), so the checks are tested without a connection; the session keeps one
// on its strand (verb_auth.cpp).
//
// An AUTH is accepted when the challenge has not expired (issued less than
// nip42_challenge_timeout ago: the relay's setting when the AUTH arrives,
// so a change applies to open connections), nip42::verify holds (kind 22242,
// id, signature, created_at within 10 minutes, the `relay` tag naming this
// relay by one of the URLs it is known by, the `challenge` tag), and that
// pubkey has not used this challenge before. Several pubkeys may
// authenticate on one connection (NIP-42); none is ever dropped.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"
#include "query_probe.hpp"

namespace marina::relay_query {

struct AuthOutcome {
  AuthResult result = AuthResult::invalid;
  std::string message;  // the OK's text: "" when accepted, else prefixed (libs/relay auth_words.hpp)
};

class ConnectionAuth {
 public:
  using Clock = std::chrono::steady_clock;

  // A new random challenge (32 hex characters), valid from `now`; the
  // previous one no longer is.
  const std::string& issue(Clock::time_point now);
  const std::string& challenge() const noexcept { return challenge_; }
  bool expired(Clock::time_point now, std::chrono::seconds timeout) const noexcept;

  // Checks an AUTH event (parsed, id checked by the message parser) against
  // the current challenge and the URLs this relay is known by
  // (nostr::nip42::normalize_relay_url form or any ws/wss URL); on success
  // the pubkey is authenticated.
  AuthOutcome check(const nostr::Event& auth, std::span<const std::string> relay_urls, std::int64_t unix_now,
                    Clock::time_point now, std::chrono::seconds timeout);

  bool authenticated() const noexcept { return !pubkeys_.empty(); }
  // Sorted, for private_events.hpp's readers.
  const std::vector<nostr::PublicKey>& pubkeys() const noexcept { return pubkeys_; }

 private:
  std::string challenge_;
  Clock::time_point issued_{};
  std::vector<nostr::PublicKey> used_;     // pubkeys that authenticated with challenge_
  std::vector<nostr::PublicKey> pubkeys_;  // every pubkey authenticated on the connection, sorted
};

}  // namespace marina::relay_query
