// The live index must find exactly the subscriptions a brute-force scan with
// Filter::matches finds, for any mix of filters, while checking far fewer
// filters than a scan when filters are selective.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>

#include "subscription_index.hpp"

namespace marina::relay_query {
namespace {

using nostr::Event;
using nostr::EventId;
using nostr::Filter;
using nostr::Kind;
using nostr::PublicKey;

// Small value pools so that random filters and events collide often.
struct Pools {
  std::vector<EventId> ids;
  std::vector<PublicKey> authors;
  std::vector<std::string> tag_values;
  std::vector<Kind> kinds{0, 1, 3, 7, 30023, 10002, 20001};
  std::vector<char> letters{'e', 'p', 't', 'd', 'A'};

  explicit Pools(std::mt19937& rng) {
    for (int i = 0; i < 40; ++i) {
      EventId id;
      PublicKey pk;
      for (auto& b : id.bytes) b = static_cast<std::uint8_t>(rng());
      for (auto& b : pk.bytes) b = static_cast<std::uint8_t>(rng());
      ids.push_back(id);
      authors.push_back(pk);
    }
    for (int i = 0; i < 30; ++i) tag_values.push_back("v" + std::to_string(i));
  }
};

template <typename T>
std::vector<T> sample(std::mt19937& rng, const std::vector<T>& pool, std::size_t max_n) {
  std::vector<T> out;
  const std::size_t n = rng() % (max_n + 1);  // 0 is allowed: an empty list matches nothing
  for (std::size_t i = 0; i < n; ++i) out.push_back(pool[rng() % pool.size()]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Filter random_filter(std::mt19937& rng, const Pools& p) {
  Filter f;
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  if (chance(15)) f.ids = sample(rng, p.ids, 3);
  if (chance(35)) f.authors = sample(rng, p.authors, 4);
  if (chance(50)) f.kinds = sample(rng, p.kinds, 3);
  const int tag_conditions = chance(40) ? 1 + static_cast<int>(rng() % 2) : 0;
  std::set<char> used;
  for (int i = 0; i < tag_conditions; ++i) {
    const char letter = p.letters[rng() % p.letters.size()];
    if (!used.insert(letter).second) continue;
    f.tags.push_back({letter, sample(rng, p.tag_values, 4)});
  }
  std::sort(f.tags.begin(), f.tags.end(), [](const auto& a, const auto& b) { return a.letter < b.letter; });
  if (chance(20)) f.since = 1000 + static_cast<std::int64_t>(rng() % 100);
  if (chance(20)) f.until = 1000 + static_cast<std::int64_t>(rng() % 100);
  if (chance(5)) f.search = chance(50) ? "hello" : "world";
  return f;
}

Event random_event(std::mt19937& rng, const Pools& p) {
  Event e;
  e.id = p.ids[rng() % p.ids.size()];
  e.pubkey = p.authors[rng() % p.authors.size()];
  e.kind = p.kinds[rng() % p.kinds.size()];
  e.created_at = 1000 + static_cast<std::int64_t>(rng() % 100);
  const int tags = static_cast<int>(rng() % 5);
  for (int i = 0; i < tags; ++i) {
    std::string name(1, p.letters[rng() % p.letters.size()]);
    if (rng() % 6 == 0) name = "long";  // multi-letter names are never indexed
    if (rng() % 8 == 0) {
      e.tags.push_back({name});  // a tag with no value matches no tag filter
    } else {
      e.tags.push_back({name, p.tag_values[rng() % p.tag_values.size()], "extra"});
    }
  }
  e.content = rng() % 2 ? "Hello there" : "brave new World";
  return e;
}

std::set<const IndexedSubscription*> brute_force(const std::vector<std::unique_ptr<IndexedSubscription>>& subs,
                                                 const Event& e) {
  std::set<const IndexedSubscription*> out;
  for (const auto& s : subs)
    if (nostr::matches_any(s->filters, e)) out.insert(s.get());
  return out;
}

TEST(SubscriptionIndex, FindsExactlyWhatABruteForceScanFinds) {
  std::mt19937 rng(20240601);
  Pools pools(rng);
  SubscriptionIndex index;
  std::vector<std::unique_ptr<IndexedSubscription>> subs;
  for (int i = 0; i < 3000; ++i) {
    auto sub = std::make_unique<IndexedSubscription>();
    const int filters = 1 + static_cast<int>(rng() % 3);
    for (int j = 0; j < filters; ++j) sub->filters.push_back(random_filter(rng, pools));
    index.add(sub.get());
    subs.push_back(std::move(sub));
  }
  ASSERT_EQ(index.size(), subs.size());

  std::size_t total_matches = 0;
  for (int round = 0; round < 3000; ++round) {
    // Churn: remove and add subscriptions between events.
    if (round % 10 == 0) {
      const std::size_t victim = rng() % subs.size();
      index.remove(subs[victim].get());
      subs[victim] = std::make_unique<IndexedSubscription>();
      subs[victim]->filters.push_back(random_filter(rng, pools));
      index.add(subs[victim].get());
    }
    const Event e = random_event(rng, pools);
    std::multiset<const IndexedSubscription*> found;
    index.match(e, [&](IndexedSubscription* s) { found.insert(s); });
    const std::set<const IndexedSubscription*> unique(found.begin(), found.end());
    ASSERT_EQ(found.size(), unique.size()) << "a subscription was reported twice for one event";
    ASSERT_EQ(unique, brute_force(subs, e)) << "round " << round;
    total_matches += unique.size();
  }
  EXPECT_GT(total_matches, 1000u) << "the random data should produce matches";
  EXPECT_EQ(index.size(), subs.size());
}

TEST(SubscriptionIndex, SelectiveFiltersCostLookupsNotAScan) {
  std::mt19937 rng(7);
  Pools pools(rng);
  SubscriptionIndex index;
  std::vector<std::unique_ptr<IndexedSubscription>> subs;
  // 10,000 subscriptions each following one author of 10,000.
  std::vector<PublicKey> authors;
  for (int i = 0; i < 10000; ++i) {
    PublicKey pk;
    for (auto& b : pk.bytes) b = static_cast<std::uint8_t>(rng());
    authors.push_back(pk);
    auto sub = std::make_unique<IndexedSubscription>();
    Filter f;
    f.authors = std::vector<PublicKey>{pk};
    f.kinds = std::vector<Kind>{1};
    sub->filters.push_back(f);
    index.add(sub.get());
    subs.push_back(std::move(sub));
  }
  Event e;
  e.pubkey = authors[1234];
  e.kind = 1;
  std::vector<IndexedSubscription*> found;
  const std::size_t candidates = index.match(e, [&](IndexedSubscription* s) { found.push_back(s); });
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], subs[1234].get());
  EXPECT_EQ(candidates, 1u) << "one hash lookup, one filter checked";
}

TEST(SubscriptionIndex, FilesEachFilterUnderItsMostSelectiveField) {
  Filter f;
  EXPECT_EQ(index_field(f), IndexField::others);
  f.kinds = std::vector<Kind>{1};
  EXPECT_EQ(index_field(f), IndexField::kinds);
  f.tags.push_back({'p', {"a", "b", "c"}});
  f.tags.push_back({'t', {"x"}});
  const nostr::TagCondition* tag = nullptr;
  EXPECT_EQ(index_field(f, &tag), IndexField::tag);
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->letter, 't') << "the condition with the fewest values";
  f.authors = std::vector<PublicKey>{PublicKey{}};
  EXPECT_EQ(index_field(f), IndexField::authors);
  f.ids = std::vector<EventId>{EventId{}};
  EXPECT_EQ(index_field(f), IndexField::ids);
}

TEST(SubscriptionIndex, RemovedSubscriptionsAreNeverReported) {
  SubscriptionIndex index;
  IndexedSubscription all, kind1;
  all.filters.push_back(Filter{});
  Filter k;
  k.kinds = std::vector<Kind>{1};
  kind1.filters.push_back(k);
  index.add(&all);
  index.add(&kind1);
  Event e;
  e.kind = 1;
  int n = 0;
  index.match(e, [&](IndexedSubscription*) { ++n; });
  EXPECT_EQ(n, 2);
  index.remove(&all);
  index.remove(&kind1);
  EXPECT_TRUE(index.empty());
  n = 0;
  EXPECT_EQ(index.match(e, [&](IndexedSubscription*) { ++n; }), 0u);
  EXPECT_EQ(n, 0);
}

TEST(SubscriptionIndex, AFilterThatMatchesNothingIsNotFiled) {
  SubscriptionIndex index;
  IndexedSubscription sub;
  Filter empty_kinds;
  empty_kinds.kinds = std::vector<Kind>{};
  sub.filters.push_back(empty_kinds);
  index.add(&sub);
  Event e;
  EXPECT_EQ(index.match(e, [](IndexedSubscription*) { FAIL(); }), 0u);
  index.remove(&sub);
  EXPECT_TRUE(index.empty());
}

}  // namespace
}  // namespace marina::relay_query
