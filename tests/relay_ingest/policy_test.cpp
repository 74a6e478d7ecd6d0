// The parts of relay-ingest that need no server: policy rules (the relay's
// own policy read through store::Relay, as the directory gives it), the id
// hint for unparseable events, and the result labels of the metrics.
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

// The OK message of a refusal, for comparisons.
std::optional<std::string> message(const std::optional<relay::EventRefusal>& refusal) {
  if (!refusal) return std::nullopt;
  return refusal->message;
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
    return message(policy.check(PolicyInput{relay, e, request, at}));
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
  EXPECT_EQ(message(policy.check(PolicyInput{relay, e, request, 1'700'000'000})), "blocked: overdue");
  EXPECT_EQ(policy.check(PolicyInput{relay, e, request, 1'700'000'000})->reason, "relay_suspended");
  relay.tenant_suspended = true;
  relay.tenant_status_reason = "unpaid invoices";
  EXPECT_EQ(message(policy.check(PolicyInput{relay, e, request, 1'700'000'000})), "blocked: unpaid invoices")
      << "the owner's suspension comes first";
  EXPECT_EQ(policy.check(PolicyInput{relay, e, request, 1'700'000'000})->reason, "tenant_suspended");
}

TEST(Policy, ProtectedEventsNeedTheAuthorAuthenticated) {
  const Policy policy = Policy::platform(relay::RelayLimits{});
  store::Relay relay;
  streams::IngestRequest request;
  const auto e = event_with({{"-"}});
  EXPECT_EQ(message(policy.check(PolicyInput{relay, e, request, e.created_at})),
            "auth-required: this event may only be published by its author");
  request.auth_pubkeys = {std::string(64, 'b')};
  EXPECT_EQ(message(policy.check(PolicyInput{relay, e, request, e.created_at})),
            "restricted: this event may only be published by its author");
  request.auth_pubkeys = {std::string(64, 'b'), e.pubkey_hex()};
  EXPECT_EQ(message(policy.check(PolicyInput{relay, e, request, e.created_at})), std::nullopt);
  // A "-" with a value is some other tag, not the NIP-70 marker.
  const auto other = event_with({{"-", "x"}});
  request.auth_pubkeys.clear();
  EXPECT_EQ(message(policy.check(PolicyInput{relay, other, request, other.created_at})), std::nullopt);
}

TEST(Policy, TheRelaysConfigurationAndRulesApply) {
  const Policy policy = Policy::platform(relay::RelayLimits{});
  const auto e = event_with({{"t", "a"}, {"t", "b"}}, "twelve bytes");
  store::Relay relay;
  relay.tenant_pubkey = std::string(64, 'a');
  streams::IngestRequest request;
  auto check = [&] { return message(policy.check(PolicyInput{relay, e, request, e.created_at})); };
  EXPECT_EQ(check(), std::nullopt) << "null config and rules: the defaults";

  relay.config = relay::make_relay_config({{"auth_enabled", "true"}}, {}, nullptr);
  relay.rules = std::make_shared<const relay::AuthRules>(std::vector<relay::AuthRule>{
      {1, relay::RuleType::blacklist, relay::PatternType::pubkey, e.pubkey_hex()}});
  EXPECT_EQ(check(), "blocked: this pubkey is blacklisted on this relay");
  relay.tenant_pubkey = e.pubkey_hex();
  EXPECT_EQ(check(), std::nullopt) << "the owner is exempt from the rules";

  relay.config = relay::make_relay_config({{"max_event_tags", "10"}, {"max_content_length", "10"}}, {}, nullptr);
  EXPECT_EQ(check(), "invalid: content too long (12 bytes, at most 10)");
  relay.config = relay::make_relay_config({{"pow_mode", "required"}, {"pow_min_difficulty", "40"}}, {}, nullptr);
  const auto pow = policy.check(PolicyInput{relay, e, request, e.created_at});
  ASSERT_TRUE(pow);
  EXPECT_EQ(pow->message.rfind("pow: difficulty ", 0), 0u) << pow->message;
  EXPECT_EQ(pow->reason, "pow_difficulty");
}

TEST(Policy, ExpiryOnArrivalFollowsTheRelaysNip40Settings) {
  const Policy policy = Policy::platform(relay::RelayLimits{});
  const std::int64_t at = 1'700'000'000;
  const auto late = event_with({{"expiration", std::to_string(at - 60)}}, "x", at - 100);
  const auto gone = event_with({{"expiration", std::to_string(at - 600)}}, "x", at - 700);
  store::Relay relay;
  streams::IngestRequest request;
  auto check = [&](const nostr::Event& e) { return message(policy.check(PolicyInput{relay, e, request, at})); };
  // Defaults: strict, 300 seconds of grace.
  EXPECT_EQ(check(late), std::nullopt);
  EXPECT_EQ(check(gone), "invalid: event has expired");
  relay.config = relay::make_relay_config({{"nip40_expiration_grace_period", "0"}}, {}, nullptr);
  EXPECT_EQ(check(late), "invalid: event has expired");
  relay.config = relay::make_relay_config({{"nip40_expiration_strict", "false"}}, {}, nullptr);
  EXPECT_EQ(check(gone), std::nullopt);
  relay.config = relay::make_relay_config({{"nip40_expiration_enabled", "false"}}, {}, nullptr);
  EXPECT_EQ(check(gone), std::nullopt);
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
  item.refuse("rate_pubkey", "rate-limited: slow down");
  EXPECT_EQ(result_label(item), "rate-limited");
  EXPECT_EQ(item.reason, "rate_pubkey");
  item.refuse("store_failed", "no prefix");
  EXPECT_EQ(result_label(item), "error");
}

}  // namespace
}  // namespace marina::relay_ingest
