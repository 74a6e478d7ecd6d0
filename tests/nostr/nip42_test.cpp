// NIP-42 AUTH events: URL normalisation, challenge, window, reasons.
#include <gtest/gtest.h>

#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip42.hpp"
#include "marina/nostr/serialize.hpp"
#include "test_support.hpp"

using namespace marina::nostr;
using nip42::Failure;

namespace {
constexpr std::int64_t kNow = 1700000000;
const std::string kRelay = "wss://myrelay.marina.example/";

Failure failure_of(const Event& e, std::string_view relay = kRelay, std::string_view challenge = "c-123",
                   std::int64_t now = kNow, const nip42::Options& opt = {}) {
  auto r = nip42::verify(e, relay, challenge, now, opt);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Failure::wrong_kind : r.error();
}
}  // namespace

TEST(Nip42, NormalizeRelayUrl) {
  EXPECT_EQ(nip42::normalize_relay_url("wss://Relay.Example.COM"), "wss://relay.example.com/");
  EXPECT_EQ(nip42::normalize_relay_url("WSS://relay.example.com:443/"), "wss://relay.example.com/");
  EXPECT_EQ(nip42::normalize_relay_url("ws://relay.example.com:80"), "ws://relay.example.com/");
  EXPECT_EQ(nip42::normalize_relay_url("wss://relay.example.com:8443/"), "wss://relay.example.com:8443/");
  EXPECT_EQ(nip42::normalize_relay_url("wss://relay.example.com/path/"), "wss://relay.example.com/path");
  EXPECT_EQ(nip42::normalize_relay_url("wss://relay.example.com/Path?x=1#frag"), "wss://relay.example.com/Path?x=1");
  EXPECT_EQ(nip42::normalize_relay_url("wss://[::1]:443"), "wss://[::1]/");
  EXPECT_FALSE(nip42::normalize_relay_url("https://relay.example.com"));
  EXPECT_FALSE(nip42::normalize_relay_url("relay.example.com"));
  EXPECT_FALSE(nip42::normalize_relay_url("wss://"));
  EXPECT_FALSE(nip42::normalize_relay_url("wss://user@relay.example.com"));
  EXPECT_FALSE(nip42::normalize_relay_url("wss://relay.example.com:44a3"));
}

TEST(Nip42, AcceptsEquivalentUrls) {
  const Event e = nip42::create_auth_event(test::alice(), "wss://MyRelay.marina.example:443", "c-123", kNow);
  auto r = nip42::verify(e, kRelay, "c-123", kNow);
  ASSERT_TRUE(r.ok()) << nip42::to_string(r.error());
  EXPECT_EQ(*r, public_key(test::alice()));
  // TLS ends at the ingress: ws and wss name the same relay unless asked otherwise.
  EXPECT_TRUE(nip42::verify(e, "ws://myrelay.marina.example", "c-123", kNow).ok());
  EXPECT_EQ(failure_of(e, "ws://myrelay.marina.example", "c-123", kNow, {.scheme_must_match = true}),
            Failure::wrong_relay);
}

TEST(Nip42, Failures) {
  const Event good = nip42::create_auth_event(test::alice(), kRelay, "c-123", kNow);
  EXPECT_EQ(failure_of(good, "wss://other.marina.example/"), Failure::wrong_relay);
  EXPECT_EQ(failure_of(good, "wss://myrelay.marina.example/sub"), Failure::wrong_relay);
  EXPECT_EQ(failure_of(good, kRelay, "c-124"), Failure::wrong_challenge);
  EXPECT_EQ(failure_of(good, kRelay, "c-123", kNow + 601), Failure::stale);
  EXPECT_EQ(failure_of(good, kRelay, "c-123", kNow - 601), Failure::stale);
  EXPECT_TRUE(nip42::verify(good, kRelay, "c-123", kNow + 600).ok());
  EXPECT_EQ(failure_of(good, kRelay, "c-123", kNow + 61, {.window = std::chrono::seconds(60)}), Failure::stale);

  EventTemplate t;
  t.created_at = kNow;
  t.kind = 22242;
  t.tags = {{"challenge", "c-123"}};
  EXPECT_EQ(failure_of(sign(t, test::alice())), Failure::missing_relay);
  t.tags = {{"relay", kRelay}};
  EXPECT_EQ(failure_of(sign(t, test::alice())), Failure::missing_challenge);
  t.tags = {{"relay", "not a url"}, {"challenge", "c-123"}};
  EXPECT_EQ(failure_of(sign(t, test::alice())), Failure::wrong_relay);
  t.kind = 1;
  EXPECT_EQ(failure_of(sign(t, test::alice())), Failure::wrong_kind);

  Event tampered = good;
  tampered.tags[1][1] = "c-999";
  EXPECT_EQ(failure_of(tampered, kRelay, "c-999"), Failure::bad_id);
  tampered.id = compute_event_id(tampered);
  EXPECT_EQ(failure_of(tampered, kRelay, "c-999"), Failure::bad_signature);
  EXPECT_EQ(nip42::to_string(Failure::wrong_challenge), "wrong-challenge");
}
