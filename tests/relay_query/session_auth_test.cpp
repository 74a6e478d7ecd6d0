// A connection's NIP-42 state (challenge, expiry, one use per pubkey, several
// pubkeys) and the one-by-one privacy check of stored results.
#include <gtest/gtest.h>

#include "marina/core/clock.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/nip42.hpp"
#include "private_results.hpp"
#include "session_auth.hpp"

namespace marina::relay_query {
namespace {

using namespace std::chrono_literals;
using Clock = ConnectionAuth::Clock;

const std::vector<std::string> kUrls{"wss://alpha.relay.example", "ws://alpha.relay.example:8080/"};

struct Auth : ::testing::Test {
  Clock::time_point t0 = Clock::now();
  std::int64_t unix_now = core::unix_seconds();
  ConnectionAuth auth;
  nostr::SecretKey alice = nostr::SecretKey::generate();
  nostr::SecretKey bob = nostr::SecretKey::generate();

  nostr::Event signed_for(const nostr::SecretKey& key, std::string_view url, std::string_view challenge) {
    return nostr::nip42::create_auth_event(key, url, challenge, unix_now);
  }
  AuthOutcome check(const nostr::Event& e, Clock::time_point at) { return auth.check(e, kUrls, unix_now, at, 300s); }
};

TEST_F(Auth, ChallengesAreRandomAndNew) {
  const std::string first = auth.issue(t0);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_TRUE(nostr::is_lower_hex(first, 32));
  EXPECT_NE(auth.issue(t0), first);
  EXPECT_FALSE(auth.authenticated());
}

TEST_F(Auth, AcceptsTheChallengeForThisRelayByEitherOfItsUrls) {
  auth.issue(t0);
  const auto ok = check(signed_for(alice, "wss://alpha.relay.example/", auth.challenge()), t0 + 1s);
  EXPECT_EQ(ok.result, AuthResult::accepted);
  EXPECT_EQ(ok.message, "");
  ASSERT_TRUE(auth.authenticated());
  EXPECT_EQ(auth.pubkeys(), std::vector<nostr::PublicKey>{nostr::public_key(alice)});
  const auto by_host = check(signed_for(bob, "WS://Alpha.Relay.Example:8080", auth.challenge()), t0 + 1s);
  EXPECT_EQ(by_host.result, AuthResult::accepted) << "the Host the client dialled, normalized";
  EXPECT_EQ(auth.pubkeys().size(), 2u) << "several pubkeys per connection";
}

TEST_F(Auth, RefusesAnotherRelayOrChallenge) {
  auth.issue(t0);
  auto r = check(signed_for(alice, "wss://beta.relay.example", auth.challenge()), t0);
  EXPECT_EQ(r.result, AuthResult::wrong_relay);
  EXPECT_EQ(r.message, "invalid: the relay tag does not name this relay");
  r = check(signed_for(alice, "wss://alpha.relay.example", "not-the-challenge"), t0);
  EXPECT_EQ(r.result, AuthResult::invalid);
  EXPECT_EQ(r.message, "invalid: the challenge tag is not this connection's challenge");
  nostr::EventTemplate t;
  t.kind = 1;
  t.created_at = unix_now;
  t.tags = {{"relay", kUrls[0]}, {"challenge", auth.challenge()}};
  r = check(nostr::sign(t, alice), t0);
  EXPECT_EQ(r.message, "invalid: an AUTH event must be of kind 22242");
  auto old = nostr::nip42::create_auth_event(alice, kUrls[0], auth.challenge(), unix_now - 3600);
  EXPECT_EQ(check(old, t0).message, "invalid: created_at is more than 10 minutes from now");
  EXPECT_FALSE(auth.authenticated());
}

TEST_F(Auth, AnExpiredChallengeIsRefusedAndANewOneWorks) {
  auth.issue(t0);
  const auto late = check(signed_for(alice, kUrls[0], auth.challenge()), t0 + 300s);
  EXPECT_EQ(late.result, AuthResult::expired);
  EXPECT_EQ(late.message, "invalid: the challenge has expired; a new one was sent, authenticate with it");
  EXPECT_TRUE(auth.expired(t0 + 300s, 300s));
  EXPECT_FALSE(auth.expired(t0 + 299s, 300s));
  auth.issue(t0 + 300s);
  EXPECT_EQ(check(signed_for(alice, kUrls[0], auth.challenge()), t0 + 301s).result, AuthResult::accepted);
}

TEST_F(Auth, AChallengeServesEachPubkeyOnce) {
  auth.issue(t0);
  const auto e = signed_for(alice, kUrls[0], auth.challenge());
  EXPECT_EQ(check(e, t0).result, AuthResult::accepted);
  const auto again = check(e, t0);
  EXPECT_EQ(again.result, AuthResult::reused);
  EXPECT_EQ(again.message, "invalid: this challenge was already used by this pubkey");
  EXPECT_EQ(check(signed_for(bob, kUrls[0], auth.challenge()), t0).result, AuthResult::accepted)
      << "another pubkey may use it";
  EXPECT_TRUE(auth.authenticated()) << "a refused replay takes nothing away";
}

TEST(PrivateResults, FindsTheKindOfARawEvent) {
  EXPECT_EQ(raw_event_kind(R"({"id":"x","kind":4,"tags":[]})"), 4);
  EXPECT_EQ(raw_event_kind(R"({"content":"\"kind\":4","kind" : 1059})"), 1059);
  EXPECT_EQ(raw_event_kind(R"({"tags":[["kind","4"]],"kind":1})"), 1);
  EXPECT_EQ(raw_event_kind(R"({"kind":65536})"), std::nullopt);
  EXPECT_EQ(raw_event_kind(R"({"id":"x"})"), std::nullopt);
}

TEST(PrivateResults, DropsWhatTheReadersMayNotRead) {
  const auto alice = nostr::SecretKey::generate();
  const auto bob = nostr::SecretKey::generate();
  auto make = [](const nostr::SecretKey& key, nostr::Kind kind, nostr::Tags tags) {
    nostr::EventTemplate t;
    t.kind = kind;
    t.created_at = 1700000000;
    t.tags = std::move(tags);
    return nostr::sign(t, key).raw;
  };
  const std::string note = make(alice, 1, {});
  const std::string dm_to_bob = make(alice, 4, {{"p", nostr::public_key(bob).hex()}});
  const std::string wrap_to_alice = make(bob, 1059, {{"p", nostr::public_key(alice).hex()}});
  std::vector<std::string> stored{note, dm_to_bob, wrap_to_alice};
  EXPECT_EQ(drop_unreadable(stored, {}), 2u);
  EXPECT_EQ(stored, std::vector<std::string>{note});
  stored = {note, dm_to_bob, wrap_to_alice};
  const std::vector<nostr::PublicKey> as_bob{nostr::public_key(bob)};
  EXPECT_EQ(drop_unreadable(stored, as_bob), 0u) << "bob receives one and authored the other";
  const std::vector<nostr::PublicKey> stranger{nostr::public_key(nostr::SecretKey::generate())};
  stored = {dm_to_bob};
  EXPECT_EQ(drop_unreadable(stored, stranger), 1u);
}

}  // namespace
}  // namespace marina::relay_query
