// query() and count() against a reference: the same random events filtered in
// memory by nostr::Filter::matches, sorted newest first (ties: lowest id),
// limited per filter and merged.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <cstdlib>
#include <set>

#include "marina/nostr/nip40.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using nostr::Event;
using nostr::Filter;

class ReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 8; ++i) keys_.push_back(nostr::SecretKey::generate());
    for (const auto& k : keys_) pubkeys_.push_back(nostr::public_key(k));
    for (int i = 0; i < 30; ++i) event_refs_.push_back(std::string(63, "0123456789abcdef"[i % 16]) + char('a' + i % 6));

    std::vector<Event> batch;
    for (int i = 0; i < kEvents; ++i) {
      nostr::Tags tags;
      const int n_tags = pick(0, 4);
      for (int t = 0; t < n_tags; ++t) {
        switch (pick(0, 3)) {
          case 0: tags.push_back({"t", topics_[pick(0, topics_.size() - 1)]}); break;
          case 1: tags.push_back({"p", pubkeys_[pick(0, pubkeys_.size() - 1)].hex()}); break;
          case 2: tags.push_back({"e", event_refs_[pick(0, event_refs_.size() - 1)]}); break;
          default: tags.push_back({"T", topics_[pick(0, topics_.size() - 1)], "extra"}); break;
        }
      }
      if (pick(0, 9) == 0) tags.push_back({"expiration", std::to_string(kNow + pick(-50, 50))});
      // Regular kinds only: replacement is tested on its own.
      static constexpr nostr::Kind kinds[] = {1, 1, 1, 6, 7, 7, 1111, 9735, 40000};
      const nostr::Kind kind = kinds[pick(0, std::size(kinds) - 1)];
      // Few distinct times, so ties on created_at are common.
      const std::int64_t created_at = kNow - 10000 + pick(0, 400) * 7;
      Event e = signed_event(keys_[pick(0, keys_.size() - 1)], kind, created_at, std::move(tags),
                             words_[pick(0, words_.size() - 1)] + " " + words_[pick(0, words_.size() - 1)]);
      // What an already expired event gets at write time is tested elsewhere.
      if (nostr::nip40::is_expired(e, unix_now())) continue;
      // Small sets make identical events (same id) likely; duplicates are tested elsewhere.
      if (!ids_.insert(e.id).second) continue;
      batch.push_back(e);
      if (batch.size() == 250) flush(batch);
    }
    flush(batch);
  }

  void flush(std::vector<Event>& batch) {
    for (const auto& r : write(store_, relay_, batch)) ASSERT_TRUE(r.publish) << r.message;
    stored_.insert(stored_.end(), batch.begin(), batch.end());
    batch.clear();
  }

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  int pick(int lo, std::size_t hi) { return pick(lo, static_cast<int>(hi)); }

  template <class T>
  std::vector<T> some(const std::vector<T>& from, int max) {
    std::vector<T> out;
    const int n = pick(1, max);
    for (int i = 0; i < n; ++i) out.push_back(from[pick(0, from.size() - 1)]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  Filter random_filter() {
    Filter f;
    if (pick(0, 9) == 0) {
      std::vector<nostr::EventId> ids;
      for (int i = 0; i < pick(1, 6); ++i) ids.push_back(stored_[pick(0, stored_.size() - 1)].id);
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      f.ids = ids;
    }
    if (pick(0, 2) == 0) f.authors = some(pubkeys_, 4);
    if (pick(0, 2) == 0) f.kinds = some(std::vector<nostr::Kind>{1, 6, 7, 1111, 9735, 40000, 3}, 3);
    if (pick(0, 2) == 0) f.tags.push_back({'T', some(topics_, 2)});
    if (pick(0, 2) == 0) {
      std::vector<std::string> ps;
      for (const auto& p : some(pubkeys_, 3)) ps.push_back(p.hex());
      f.tags.push_back({'p', ps});
    }
    if (pick(0, 3) == 0) f.tags.push_back({'e', some(event_refs_, 3)});
    if (pick(0, 3) == 0) f.tags.push_back({'t', some(topics_, 3)});
    std::sort(f.tags.begin(), f.tags.end(), [](const auto& a, const auto& b) { return a.letter < b.letter; });
    if (pick(0, 3) == 0) f.since = kNow - 10000 + pick(0, 400) * 7;
    if (pick(0, 3) == 0) f.until = kNow - 10000 + pick(0, 400) * 7;
    // Live matching looks for substrings, the database for whole words: no
    // word of words_ is part of another, so both agree here.
    if (pick(0, 5) == 0) f.search = words_[pick(0, words_.size() - 1)];
    const int limit_kind = pick(0, 3);
    if (limit_kind == 0) f.limit = pick(1, 5);
    else if (limit_kind == 1) f.limit = pick(1, 120);
    else if (limit_kind == 2) f.limit = 0;
    return f;
  }

  // What a relay must answer for `filters` at `now`.
  std::vector<std::string> expected(const std::vector<Filter>& filters, std::int64_t now, bool limited) {
    auto newer = [](const Event* a, const Event* b) {
      return a->created_at != b->created_at ? a->created_at > b->created_at : a->id < b->id;
    };
    std::set<const Event*> chosen;
    for (const auto& f : filters) {
      std::vector<const Event*> matching;
      for (const auto& e : stored_)
        if (f.matches(e) && !nostr::nip40::is_expired(e, now)) matching.push_back(&e);
      std::sort(matching.begin(), matching.end(), newer);
      const std::size_t limit = limited ? f.limit.value_or(kDefaultLimit) : matching.size();
      for (std::size_t i = 0; i < std::min(limit, matching.size()); ++i) chosen.insert(matching[i]);
    }
    std::vector<const Event*> sorted(chosen.begin(), chosen.end());
    std::sort(sorted.begin(), sorted.end(), newer);
    std::vector<std::string> out;
    for (const Event* e : sorted) out.push_back(e->raw);
    return out;
  }

  static constexpr int kEvents = 3000;
  static constexpr std::uint64_t kDefaultLimit = 60;
  const std::int64_t kNow = unix_now() + 100000;  // "now" of the queries; expirations around it
  // MARINA_STORE_SEED replays another random set (the failing seed is in the message).
  static unsigned seed() {
    const char* s = std::getenv("MARINA_STORE_SEED");
    return s ? static_cast<unsigned>(std::stoul(s)) : 20240601u;
  }
  std::mt19937 rng_{seed()};
  pg::Pool pool_{pool_options(shared_migrated_database())};
  EventStore store_{pool_, EventStoreOptions{.default_limit = kDefaultLimit, .max_limit = 5000}};
  std::string relay_ = new_relay_id();
  std::vector<nostr::SecretKey> keys_;
  std::vector<nostr::PublicKey> pubkeys_;
  std::vector<std::string> event_refs_;
  std::vector<std::string> topics_{"nostr", "bitcoin", "x", "art", "music", "food"};
  std::vector<std::string> words_{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
  std::vector<Event> stored_;
  std::set<nostr::EventId> ids_;
};

TEST_F(ReferenceTest, RandomFiltersAnswerLikeTheReference) {
  // Some other relay holds the same events: it must never leak in.
  const std::string neighbour = new_relay_id();
  write(store_, neighbour, std::vector<Event>(stored_.begin(), stored_.begin() + 500));

  int nonempty = 0;
  for (int round = 0; round < 400; ++round) {
    std::vector<Filter> filters;
    const int n = pick(0, 4) == 0 ? pick(2, 3) : 1;
    for (int i = 0; i < n; ++i) filters.push_back(random_filter());
    const std::int64_t now = kNow + pick(-60, 60);
    std::string described;
    for (const auto& f : filters) described += nostr::filter_to_json(f) + " ";

    const auto want = expected(filters, now, true);
    const auto got = query(store_, relay_, filters, now);
    ASSERT_EQ(got.size(), want.size()) << described << " now=" << now << " seed=" << seed();
    ASSERT_EQ(got, want) << described << " now=" << now << " seed=" << seed();
    if (!want.empty()) ++nonempty;

    ASSERT_EQ(count(store_, relay_, filters, now), expected(filters, now, false).size()) << described;
  }
  // The random filters must mostly select something to mean anything.
  EXPECT_GT(nonempty, 200);
}

}  // namespace
}  // namespace marina::store::testing
