// Helpers of the message handling: the EVENT pre-checks, reading an id from
// stored raw JSON, subscription id length, recent ids, settings.
#include <gtest/gtest.h>

#include "connection_registry.hpp"
#include "event_checks.hpp"
#include "idle_sweeper.hpp"
#include "marina/core/config.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/relay_query/query_settings.hpp"
#include "recent_ids.hpp"
#include "session_context.hpp"

namespace marina::relay_query {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

nostr::Event event_at(std::int64_t created_at, std::size_t tags = 0, std::size_t content = 0) {
  nostr::EventTemplate t;
  t.created_at = created_at;
  t.kind = 1;
  for (std::size_t i = 0; i < tags; ++i) t.tags.push_back({"t", "x"});
  t.content = std::string(content, 'a');
  return nostr::sign(t, nostr::SecretKey::generate());
}

// precheck_event's refusal message, for comparisons.
std::optional<std::string> precheck(const nostr::Event& e, const store::Relay& relay, const relay::RelayLimits& l) {
  auto why = precheck_event(e, relay, l, kNow);
  if (!why) return std::nullopt;
  return why->message;
}

TEST(PrecheckEvent, AcceptsAnEventInsideEveryBound) {
  relay::RelayLimits l;
  const store::Relay relay;
  EXPECT_FALSE(precheck(event_at(kNow), relay, l));
  EXPECT_FALSE(precheck(event_at(kNow - l.created_at_lower_seconds), relay, l));
  EXPECT_FALSE(precheck(event_at(kNow + l.created_at_upper_seconds), relay, l));
}

TEST(PrecheckEvent, RefusesWithAnInvalidPrefix) {
  relay::RelayLimits l;
  l.max_event_tags = 3;
  l.max_content_length = 10;
  const store::Relay relay;
  auto too_old = precheck(event_at(kNow - l.created_at_lower_seconds - 1), relay, l);
  ASSERT_TRUE(too_old);
  EXPECT_EQ(too_old->rfind("invalid: created_at", 0), 0u) << *too_old;
  auto too_new = precheck(event_at(kNow + l.created_at_upper_seconds + 1), relay, l);
  ASSERT_TRUE(too_new);
  EXPECT_NE(too_new->find("future"), std::string::npos);
  EXPECT_EQ(precheck(event_at(kNow, 4), relay, l), "invalid: too many tags (4, at most 3)");
  EXPECT_EQ(precheck(event_at(kNow, 0, 11), relay, l), "invalid: content too long (11 bytes, at most 10)");
  EXPECT_EQ(precheck_event(event_at(kNow, 0, 11), relay, l, kNow)->reason, "content_too_long");
}

TEST(PrecheckEvent, AppliesTheRelaysOwnPolicyWithRelayIngestsWords) {
  const relay::RelayLimits l;
  store::Relay relay;
  const auto e = event_at(kNow, 12, 20);
  relay.config = relay::make_relay_config({{"max_event_tags", "10"}}, {}, nullptr);
  EXPECT_EQ(precheck(e, relay, l), "invalid: too many tags (12, at most 10)");
  relay.config = relay::make_relay_config({{"max_content_length", "19"}}, {}, nullptr);
  EXPECT_EQ(precheck(e, relay, l), "invalid: content too long (20 bytes, at most 19)");
  relay.config = relay::make_relay_config({{"auth_enabled", "true"}}, {}, nullptr);
  relay.rules = std::make_shared<const relay::AuthRules>(
      std::vector<relay::AuthRule>{{1, relay::RuleType::whitelist, relay::PatternType::kind, "7"}});
  EXPECT_EQ(precheck(e, relay, l), "blocked: kind 1 is not whitelisted on this relay");
  EXPECT_EQ(precheck_event(e, relay, l, kNow)->reason, "kind_not_whitelisted");
}

TEST(RawEventId, FindsTheIdKeyWhereverItIs) {
  const nostr::Event e = event_at(kNow);
  EXPECT_EQ(raw_event_id(e.raw), e.id);
  const std::string hex = e.id.hex();
  const std::string spaced = "{ \"content\" : \"\\\"id\\\":\\\"" + std::string(64, 'f') +
                             "\\\"\", \"tags\":[[\"id\",\"x\"]], \"id\" :\n \"" + hex + "\" }";
  EXPECT_EQ(raw_event_id(spaced), e.id) << "a quoted \"id\" in content and an id tag are not the key";
  EXPECT_FALSE(raw_event_id("{\"kind\":1}"));
  EXPECT_FALSE(raw_event_id("{\"id\":\"short\"}"));
}

TEST(CodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(code_points(""), 0u);
  EXPECT_EQ(code_points("abc"), 3u);
  EXPECT_EQ(code_points("\xc3\xa9t\xc3\xa9"), 3u);            // été
  EXPECT_EQ(code_points("\xf0\x9f\x90\xa0"), 1u);            // one emoji, 4 bytes
}

TEST(RecentIds, RemembersTheLastNOnly) {
  RecentIds recent(3);
  auto id = [](std::uint8_t n) {
    nostr::EventId e;
    e.bytes[0] = n;
    return e;
  };
  EXPECT_TRUE(recent.insert(id(1)));
  EXPECT_FALSE(recent.insert(id(1)));
  EXPECT_TRUE(recent.insert(id(2)));
  EXPECT_TRUE(recent.insert(id(3)));
  EXPECT_TRUE(recent.insert(id(4)));  // forgets 1
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_FALSE(recent.contains(id(1)));
  EXPECT_FALSE(recent.insert(id(4)));
  EXPECT_TRUE(recent.insert(id(1)));
}

TEST(ConnectionRegistry, BoundsConnectionsPerAddress) {
  ConnectionRegistry registry(2);
  const std::size_t any = 1000;
  auto a = registry.admit("203.0.113.1", "r1", any);
  auto b = registry.admit("203.0.113.1", "r2", any);
  ASSERT_TRUE(a.slot);
  ASSERT_TRUE(b.slot);
  const auto third = registry.admit("203.0.113.1", "r1", any);
  EXPECT_FALSE(third.slot);
  EXPECT_EQ(third.refusal, ConnectionRegistry::Refusal::too_many_from_ip);
  EXPECT_TRUE(registry.admit("203.0.113.2", "r1", any).slot) << "other addresses are counted apart";
  EXPECT_EQ(registry.connections_from("203.0.113.1"), 2u);
  b.slot.reset();
  EXPECT_EQ(registry.connections_from("203.0.113.1"), 1u);
  EXPECT_TRUE(registry.admit("203.0.113.1", "r1", any).slot);
  EXPECT_NE(registry.next_id(), registry.next_id());
}

TEST(ConnectionRegistry, BoundsConnectionsAndSubscriptionsPerRelay) {
  ConnectionRegistry registry(100);
  auto a = registry.admit("203.0.113.1", "r1", 2);
  auto b = registry.admit("203.0.113.2", "r1", 2);
  ASSERT_TRUE(a.slot && b.slot);
  const auto full = registry.admit("203.0.113.3", "r1", 2);
  EXPECT_FALSE(full.slot);
  EXPECT_EQ(full.refusal, ConnectionRegistry::Refusal::relay_full);
  EXPECT_TRUE(registry.admit("203.0.113.3", "r2", 2).slot) << "other relays are counted apart";
  EXPECT_EQ(registry.connections_to("r1"), 2u);
  EXPECT_FALSE(registry.admit("203.0.113.3", "r1", 1).slot) << "a lowered bound refuses new connections";
  EXPECT_EQ(registry.connections_to("r1"), 2u) << "and leaves the open ones";

  // Subscriptions of all the relay's connections, under the relay's total.
  EXPECT_TRUE(a.slot->open_subscription(3));
  EXPECT_TRUE(b.slot->open_subscription(3));
  EXPECT_TRUE(b.slot->open_subscription(3));
  EXPECT_FALSE(a.slot->open_subscription(3));
  EXPECT_EQ(registry.subscriptions_of("r1"), 3u);
  a.slot->close_subscription();
  EXPECT_TRUE(a.slot->open_subscription(3));
  b.slot.reset();  // a connection that ends takes its subscriptions with it
  EXPECT_EQ(registry.subscriptions_of("r1"), 1u);
  EXPECT_EQ(registry.connections_to("r1"), 1u);
  a.slot.reset();
  EXPECT_EQ(registry.connections_to("r1"), 0u);
  EXPECT_EQ(registry.subscriptions_of("r1"), 0u);
}

TEST(QuerySettings, DefaultsAndOverrides) {
  std::map<std::string, std::string> env{{"REPLICA_ID", "rq-7"},
                                         {"RELAY_QUERY_OK_TIMEOUT", "3s"},
                                         {"RELAY_MAX_FILTERS", "4"},
                                         {"TRUSTED_PROXIES", "10.0.0.0/8"}};
  core::Config config([&](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
  const QuerySettings s = declare_query_settings(config);
  config.finish();
  EXPECT_EQ(s.replica_id, "rq-7");
  EXPECT_EQ(s.ok_timeout, std::chrono::seconds(3));
  EXPECT_EQ(s.relay.limits.max_filters, 4u);
  EXPECT_TRUE(s.trusted_proxies.contains("10.9.9.9"));
  EXPECT_FALSE(s.trusted_proxies.contains("127.0.0.1"));
  EXPECT_EQ(message_limits(s.relay.limits).max_filters, 4u);
  EXPECT_EQ(message_limits(s.relay.limits).filter.max_limit, s.relay.limits.max_limit);

  core::Config defaults([](const std::string&) { return std::optional<std::string>(); });
  const QuerySettings d = declare_query_settings(defaults);
  EXPECT_FALSE(d.replica_id.empty()) << "hostname-pid";
  EXPECT_TRUE(d.trusted_proxies.contains("127.0.0.1"));
  EXPECT_FALSE(d.trusted_proxies.contains("127.0.0.2")) << "the local ingress's address, not a range";
}

TEST(IdleSweep, AQuarterOfTheTimeoutWithinBounds) {
  using std::chrono::seconds;
  EXPECT_EQ(idle_sweep_interval(seconds(600)), seconds(30));
  EXPECT_EQ(idle_sweep_interval(seconds(20)), seconds(5));
  EXPECT_EQ(idle_sweep_interval(seconds(2)), seconds(1));
}

}  // namespace
}  // namespace marina::relay_query
