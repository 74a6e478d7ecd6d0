#include "session_auth.hpp"

#include <algorithm>
#include <array>

#include "marina/nostr/hex.hpp"
#include "marina/nostr/nip42.hpp"
#include "marina/nostr/random.hpp"
#include "marina/relay/auth_words.hpp"

namespace marina::relay_query {

namespace {

// 128 bits: unguessable for the life of any connection.
constexpr std::size_t kChallengeBytes = 16;

}  // namespace

const std::string& ConnectionAuth::issue(Clock::time_point now) {
  std::array<std::uint8_t, kChallengeBytes> bytes{};
  nostr::random_bytes(bytes);
  challenge_ = nostr::hex_encode(bytes);
  issued_ = now;
  used_.clear();
  return challenge_;
}

bool ConnectionAuth::expired(Clock::time_point now, std::chrono::seconds timeout) const noexcept {
  return now - issued_ >= timeout;
}

AuthOutcome ConnectionAuth::check(const nostr::Event& auth, std::span<const std::string> relay_urls,
                                  std::int64_t unix_now, Clock::time_point now, std::chrono::seconds timeout) {
  namespace nip42 = nostr::nip42;
  if (expired(now, timeout)) return {AuthResult::expired, std::string(relay::kChallengeExpired)};
  // The relay is known by more than one URL (the public one, the Host the
  // client dialled): the first that verifies wins; a wrong `relay` tag is
  // the only failure another URL can cure.
  auto verified = nip42::verify(auth, relay_urls.empty() ? std::string_view{} : relay_urls.front(), challenge_, unix_now);
  for (std::size_t i = 1; i < relay_urls.size() && !verified && verified.error() == nip42::Failure::wrong_relay; ++i)
    verified = nip42::verify(auth, relay_urls[i], challenge_, unix_now);
  if (!verified) {
    const auto failure = verified.error();
    return {failure == nip42::Failure::wrong_relay ? AuthResult::wrong_relay : AuthResult::invalid,
            relay::auth_refusal(failure)};
  }
  const nostr::PublicKey& key = verified.value();
  if (std::find(used_.begin(), used_.end(), key) != used_.end())
    return {AuthResult::reused, std::string(relay::kChallengeReused)};
  used_.push_back(key);
  auto at = std::lower_bound(pubkeys_.begin(), pubkeys_.end(), key);
  if (at == pubkeys_.end() || *at != key) pubkeys_.insert(at, key);
  return {AuthResult::accepted, ""};
}

}  // namespace marina::relay_query
