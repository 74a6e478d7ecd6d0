// The parts of relay-ingest that need no server: policy rules, the id hint
// for unparseable events, and the result labels of the metrics.
#include <gtest/gtest.h>

#include "decode.hpp"
#include "marina/nostr/event_sign.hpp"
#include "policy.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {
namespace {

nostr::Event event_with(nostr::Tags tags, std::string content = "x", std::int64_t created_at = 1'700'000'000) {
  nostr::EventTemplate t;
  t.kind = 1;
  t.created_at = created_at;
  t.tags = std::move(tags);
  t.content = std::move(content);
  return nostr::sign(t, nostr::SecretKey::generate());
}

TEST(Policy, CreatedAtWindowIsMeasuredFromTheReceiveTime) {
  relay::RelayLimits limits;
  limits.created_at_lower_seconds = 100;
  limits.created_at_upper_seconds = 10;
  const Policy policy = Policy::platform(limits);
  store::Relay relay;
  streams::IngestRequest request;
  const std::int64_t at = 1'700'000'000;
  auto check = [&](std::int64_t created_at) {
    const auto e = event_with({}, "x", created_at);
    return policy.check(PolicyInput{relay, e, request, at});
  };
  EXPECT_EQ(check(at), std::nullopt);
  EXPECT_EQ(check(at - 100), std::nullopt);
  EXPECT_EQ(check(at - 101), "invalid: created_at is more than 100 seconds in the past");
  EXPECT_EQ(check(at + 10), std::nullopt);
  EXPECT_EQ(check(at + 11), "invalid: created_at is more than 10 seconds in the future");
}

TEST(Policy, BlockedRelayWinsOverEveryOtherRefusal) {
  relay::RelayLimits limits;
  limits.max_content_length = 1;
  const Policy policy = Policy::platform(limits);
  store::Relay relay;
  relay.status = store::RelayStatus::suspended;
  relay.status_reason = "overdue";
  streams::IngestRequest request;
  const auto e = event_with({}, "too long", 1'700'000'000);
  EXPECT_EQ(policy.check(PolicyInput{relay, e, request, 1'700'000'000}), "blocked: overdue");
}

TEST(Policy, ProtectedEventsNeedTheAuthorAuthenticated) {
  const Policy policy = Policy::platform(relay::RelayLimits{});
  store::Relay relay;
  streams::IngestRequest request;
  const auto e = event_with({{"-"}});
  EXPECT_EQ(policy.check(PolicyInput{relay, e, request, e.created_at}),
            "auth-required: this event may only be published by its author");
  request.auth_pubkeys = {std::string(64, 'b')};
  EXPECT_EQ(policy.check(PolicyInput{relay, e, request, e.created_at}),
            "restricted: this event may only be published by its author");
  request.auth_pubkeys = {std::string(64, 'b'), e.pubkey_hex()};
  EXPECT_EQ(policy.check(PolicyInput{relay, e, request, e.created_at}), std::nullopt);
  // A "-" with a value is some other tag, not the NIP-70 marker.
  const auto other = event_with({{"-", "x"}});
  request.auth_pubkeys.clear();
  EXPECT_EQ(policy.check(PolicyInput{relay, other, request, other.created_at}), std::nullopt);
}

TEST(EventIdHint, FindsTheIdOfAnEventThatDoesNotParse) {
  const std::string id(64, 'a');
  EXPECT_EQ(event_id_hint(R"({"kind":1,"id" : ")" + id + R"(","extra":true})"), id);
  EXPECT_EQ(event_id_hint(R"({"content":"\"id\":\")" + id + R"(\"","id":"nothex"})"), "");
  EXPECT_EQ(event_id_hint("not json"), "");
  EXPECT_EQ(event_id_hint(R"({"id":")" + std::string(64, 'A') + R"("})"), "");
}

TEST(Decode, AnEntryThatIsNotAnIngestRequestHasNoRequest) {
  const Item item = decode(Delivery{"1-0", {{"v", "1"}, {"garbage", "x"}}, false});
  EXPECT_FALSE(item.request.has_value());
  EXPECT_FALSE(item.contract_error.empty());
  EXPECT_EQ(result_label(item), "malformed");
}

TEST(Decode, AVerifiedEventIsUndecidedAndEphemeralKindsAreMarked) {
  nostr::EventTemplate t;
  t.kind = 20001;
  t.created_at = 1'700'000'000;
  const auto e = nostr::sign(t, nostr::SecretKey::generate());
  streams::IngestRequest r;
  r.relay_id = "x";
  r.origin = "q";
  r.event_json = e.raw;
  const Item item = decode(Delivery{"1-0", r.encode(), false});
  ASSERT_TRUE(item.event.has_value());
  EXPECT_FALSE(item.decided());
  EXPECT_TRUE(item.ephemeral);
  EXPECT_EQ(item.event_id, e.id_hex());
}

TEST(ResultLabel, NamesTheOutcome) {
  Item item;
  item.request.emplace();
  item.accept("", true);
  EXPECT_EQ(result_label(item), "stored");
  item.ephemeral = true;
  EXPECT_EQ(result_label(item), "ephemeral");
  item.accept("duplicate: already have this event", false);
  EXPECT_EQ(result_label(item), "duplicate");
  item.refuse("rate-limited: slow down");
  EXPECT_EQ(result_label(item), "rate-limited");
  item.refuse("no prefix");
  EXPECT_EQ(result_label(item), "error");
}

}  // namespace
}  // namespace marina::relay_ingest
