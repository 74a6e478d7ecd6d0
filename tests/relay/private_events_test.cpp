// Direct-message privacy: who may read a private event, and the filters that
// narrow a REQ or COUNT to what a connection may read, checked against the
// rule applied event by event over random events, filters and readers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "marina/relay/auth_words.hpp"
#include "marina/relay/private_events.hpp"

namespace marina::relay {
namespace {

nostr::PublicKey key(int i) {
  char hex[65];
  std::snprintf(hex, sizeof hex, "%064x", i + 1);
  return *nostr::PublicKey::from_hex(hex);
}

nostr::Event event(nostr::Kind kind, int author, std::vector<int> recipients) {
  nostr::Event e;
  e.kind = kind;
  e.pubkey = key(author);
  for (int r : recipients) e.tags.push_back({"p", key(r).hex()});
  return e;
}

nostr::Filter kinds(std::vector<nostr::Kind> k) {
  nostr::Filter f;
  f.kinds = std::move(k);
  return f;
}

TEST(PrivateEvents, TheKinds) {
  for (nostr::Kind k : {4, 13, 14, 1059}) EXPECT_TRUE(is_private_kind(k)) << k;
  for (nostr::Kind k : {0, 1, 3, 7, 1058, 1060, 10004, 22242}) EXPECT_FALSE(is_private_kind(k)) << k;
}

TEST(PrivateEvents, OnlyTheAuthorOrARecipientReads) {
  const std::vector<nostr::PublicKey> nobody, alice{key(1)}, bob{key(2)}, carol{key(3)};
  const auto dm = event(4, 1, {2});
  EXPECT_FALSE(readable_by(dm, nobody));
  EXPECT_TRUE(readable_by(dm, alice)) << "author";
  EXPECT_TRUE(readable_by(dm, bob)) << "recipient";
  EXPECT_FALSE(readable_by(dm, carol));
  std::vector<nostr::PublicKey> carol_and_bob{key(2), key(3)};
  EXPECT_TRUE(readable_by(dm, carol_and_bob)) << "any of several authenticated pubkeys";
  const auto wrap = event(1059, 9, {3});
  EXPECT_TRUE(readable_by(wrap, carol)) << "a gift wrap's author is a throwaway key; its recipient reads it";
  EXPECT_FALSE(readable_by(wrap, alice));
  EXPECT_TRUE(readable_by(event(1, 1, {}), nobody)) << "public kinds are everyone's";
  auto e_tagged = event(4, 1, {});
  e_tagged.tags.push_back({"e", key(3).hex()});
  EXPECT_FALSE(readable_by(e_tagged, carol)) << "only p tags name recipients";
}

TEST(PrivateEvents, WhichFiltersConcernThem) {
  EXPECT_FALSE(may_match_private({kinds({1, 7})}));
  EXPECT_TRUE(may_match_private({kinds({1}), kinds({1059})}));
  EXPECT_TRUE(may_match_private({nostr::Filter{}})) << "no kinds: any kind";
  EXPECT_TRUE(asks_only_private({kinds({4})}));
  EXPECT_TRUE(asks_only_private({kinds({1}), kinds({4, 1059})}));
  EXPECT_FALSE(asks_only_private({kinds({1, 4})}));
  EXPECT_FALSE(asks_only_private({nostr::Filter{}}));
  EXPECT_FALSE(asks_only_private({kinds({})})) << "an empty kinds list matches nothing";
}

TEST(PrivateEvents, NarrowedFiltersOfATypicalClient) {
  const std::vector<nostr::PublicKey> me{key(1)};
  nostr::Filter mine = kinds({4});
  mine.authors = me;
  auto r = readable_filters({mine}, me);
  ASSERT_EQ(r.filters.size(), 1u) << "already only readable: unchanged, so its limit means what it says";
  EXPECT_EQ(r.filters[0], mine);
  nostr::Filter to_me = kinds({1059});
  to_me.tags.push_back({'p', {key(1).hex()}});
  r = readable_filters({to_me}, me);
  ASSERT_EQ(r.filters.size(), 1u);
  EXPECT_EQ(r.filters[0], to_me);
  r = readable_filters({kinds({1, 4})}, {});
  ASSERT_EQ(r.filters.size(), 1u) << "not authenticated: the private kinds go";
  EXPECT_EQ(r.filters[0], kinds({1}));
  EXPECT_FALSE(r.unkinded);
  r = readable_filters({nostr::Filter{}}, me);
  EXPECT_TRUE(r.unkinded);
}

TEST(AuthWords, CarryTheirPrefixes) {
  EXPECT_TRUE(kAuthRequiredToRead.starts_with("auth-required: "));
  EXPECT_EQ(kind_requires_auth_refusal(7), "auth-required: kind 7 is accepted only from authenticated clients (NIP-42 AUTH)");
  EXPECT_TRUE(protected_event_refusal(false).starts_with("auth-required: "));
  EXPECT_TRUE(protected_event_refusal(true).starts_with("restricted: "));
  EXPECT_EQ(auth_refusal(nostr::nip42::Failure::wrong_relay), "invalid: the relay tag does not name this relay");
}

// Random events, filters and readers: the narrowed filters match exactly the
// readable events the originals match (after the one-by-one check when some
// filter has no kinds), and COUNT's arithmetic gives the readable count.
// Events with several recipients: never more than the readable ones (one
// addressed to a reader and to someone the filter's #p names is the case
// filters cannot express; see readable_filters).
TEST(PrivateEvents, NarrowingAgreesWithTheRuleOverRandomCases) {
  for (const int max_recipients : {1, 3}) {
    SCOPED_TRACE(max_recipients);
  std::mt19937 rng(42);
  const std::vector<nostr::Kind> kind_pool{1, 4, 7, 13, 14, 1059, 30000};
  constexpr int kKeys = 6;
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto subset_of_keys = [&](int max_size) {
    std::vector<nostr::PublicKey> out;
    for (int i = 0, n = pick(max_size + 1); i < n; ++i) out.push_back(key(pick(kKeys)));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  std::vector<nostr::Event> events;
  for (int i = 0; i < 400; ++i) {
    std::vector<int> recipients;
    for (int j = 0, n = pick(max_recipients + 1); j < n; ++j) recipients.push_back(pick(kKeys));
    events.push_back(event(kind_pool[pick(static_cast<int>(kind_pool.size()))], pick(kKeys), recipients));
  }
  for (int round = 0; round < 500; ++round) {
    std::vector<nostr::Filter> filters;
    for (int i = 0, n = 1 + pick(3); i < n; ++i) {
      nostr::Filter f;
      if (pick(4) != 0) {
        std::vector<nostr::Kind> k;
        for (int j = 0, m = 1 + pick(3); j < m; ++j) k.push_back(kind_pool[pick(static_cast<int>(kind_pool.size()))]);
        std::sort(k.begin(), k.end());
        k.erase(std::unique(k.begin(), k.end()), k.end());
        f.kinds = k;
      }
      if (pick(3) == 0) f.authors = subset_of_keys(3);
      if (pick(3) == 0) {
        std::vector<std::string> p;
        for (const auto& k : subset_of_keys(3)) p.push_back(k.hex());
        f.tags.push_back({'p', p});
      }
      filters.push_back(std::move(f));
    }
    const std::vector<nostr::PublicKey> readers = subset_of_keys(2);
    const ReadableFilters narrowed = readable_filters(filters, readers);
    const auto private_part = unkinded_private_part(filters);
    const ReadableFilters readable_private = readable_filters(private_part, readers);
    long expected_count = 0, narrowed_count = 0, private_count = 0, readable_private_count = 0;
    for (const auto& e : events) {
      const bool wanted = nostr::matches_any(filters, e) && readable_by(e, readers);
      const bool got = nostr::matches_any(narrowed.filters, e);
      const bool served = narrowed.unkinded ? got && readable_by(e, readers) : got;
      if (max_recipients == 1) {
        ASSERT_EQ(served, wanted) << "round " << round;
      } else {
        ASSERT_TRUE(!served || wanted) << "round " << round << ": an event served that may not be";
      }
      expected_count += wanted;
      narrowed_count += got;
      private_count += nostr::matches_any(private_part, e);
      readable_private_count += nostr::matches_any(readable_private.filters, e);
    }
    if (max_recipients == 1)
      EXPECT_EQ(narrowed_count - private_count + readable_private_count, expected_count) << "round " << round;
  }
  }
}

}  // namespace
}  // namespace marina::relay
