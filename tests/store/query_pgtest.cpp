// EventStore::query, count and export_all: what each filter field selects,
// limits and ordering, search, and values that must survive the SQL layer.
#include <gtest/gtest.h>

#include "marina/testing/run.hpp"
#include "store_fixture.hpp"
#include "stored_fields.hpp"

namespace marina::store::testing {
namespace {

using nostr::SecretKey;

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "\"" : ",\"") + i + "\"";
  return out;
}

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Ten notes a second apart, alternating authors and kinds, tagged.
    for (int i = 0; i < 10; ++i) {
      const SecretKey& key = i % 2 ? bob_ : alice_;
      nostr::Tags tags{{"t", i % 3 == 0 ? "three" : "other"}, {"p", nostr::public_key(carol_).hex()}};
      if (i == 4) tags.push_back({"e", std::string(64, 'a')});
      events_.push_back(signed_event(key, i < 5 ? 1 : 7, t0_ + i, std::move(tags), "note number " + std::to_string(i)));
    }
    write(store_, relay_, events_);
  }
  // raws of events_[i...] in the given order
  std::vector<std::string> of(std::initializer_list<int> indexes) {
    std::vector<std::string> out;
    for (int i : indexes) out.push_back(events_[i].raw);
    return out;
  }
  std::vector<std::string> q(const std::string& json) { return query(store_, relay_, {filter(json)}); }

  pg::Pool pool_{pool_options(shared_migrated_database())};
  EventStore store_{pool_};
  std::string relay_ = new_relay_id();
  SecretKey alice_ = SecretKey::generate();
  SecretKey bob_ = SecretKey::generate();
  SecretKey carol_ = SecretKey::generate();
  std::int64_t t0_ = unix_now() - 1000;
  std::vector<nostr::Event> events_;
};

TEST_F(QueryTest, EveryFieldAloneSelectsWhatItNames) {
  EXPECT_EQ(q("{}"), of({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(q(R"({"ids":[)" + quoted_list({events_[3].id_hex(), events_[7].id_hex()}) + "]}"), of({7, 3}));
  EXPECT_EQ(q(R"({"authors":[")" + nostr::public_key(bob_).hex() + R"("]})"), of({9, 7, 5, 3, 1}));
  EXPECT_EQ(q(R"({"kinds":[7]})"), of({9, 8, 7, 6, 5}));
  EXPECT_EQ(q(R"({"#t":["three"]})"), of({9, 6, 3, 0}));
  EXPECT_EQ(q(R"({"#e":[")" + std::string(64, 'a') + R"("]})"), of({4}));
  EXPECT_EQ(q(R"({"since":)" + std::to_string(t0_ + 7) + "}"), of({9, 8, 7}));
  EXPECT_EQ(q(R"({"until":)" + std::to_string(t0_ + 2) + "}"), of({2, 1, 0}));
}

TEST_F(QueryTest, FieldsCombineWithAnd) {
  const std::string alice = nostr::public_key(alice_).hex();
  const std::string bob = nostr::public_key(bob_).hex();
  EXPECT_EQ(q(R"({"authors":[")" + alice + R"("],"kinds":[1]})"), of({4, 2, 0}));
  EXPECT_EQ(q(R"({"authors":[")" + alice + R"(",")" + bob + R"("],"kinds":[1,7],"#t":["three"]})"), of({9, 6, 3, 0}));
  EXPECT_EQ(q(R"({"kinds":[7],"#t":["three","other"],"since":)" + std::to_string(t0_ + 6) +
              R"(,"until":)" + std::to_string(t0_ + 8) + "}"),
            of({8, 7, 6}));
  EXPECT_EQ(q(R"({"#t":["three"],"#p":[")" + nostr::public_key(carol_).hex() + R"("],"authors":[")" + bob + R"("]})"),
            of({9, 3}));
  EXPECT_EQ(q(R"({"ids":[")" + events_[2].id_hex() + R"("],"kinds":[7]})"), of({}));
  EXPECT_EQ(q(R"({"#t":["three"],"#e":[")" + std::string(64, 'a') + R"("]})"), of({}));
}

TEST_F(QueryTest, EachFilterKeepsItsLimitAndTheUnionIsNewestFirstWithoutDuplicates) {
  EXPECT_EQ(q(R"({"limit":3})"), of({9, 8, 7}));
  EXPECT_EQ(q(R"({"kinds":[1],"limit":2})"), of({4, 3}));
  EXPECT_EQ(q(R"({"kinds":[1,7],"limit":4})"), of({9, 8, 7, 6}));
  EXPECT_EQ(q(R"({"limit":0})"), of({}));
  const auto merged = query(store_, relay_,
                            {filter(R"({"kinds":[1],"limit":2})"), filter(R"({"#t":["three"],"limit":2})"),
                             filter(R"({"kinds":[7],"until":)" + std::to_string(t0_ + 6) + R"(,"limit":1})")});
  // kinds 1 -> 4,3; #t three -> 9,6; kind 7 until 6 -> 6 (already there).
  EXPECT_EQ(merged, of({9, 6, 4, 3}));

  // Ties on created_at: lowest id first, across filters as within one.
  const auto a = signed_event(alice_, 1111, t0_ + 100, {}, "tie a");
  const auto b = signed_event(bob_, 1111, t0_ + 100, {}, "tie b");
  write(store_, relay_, {a, b});
  const auto& low = a.id < b.id ? a : b;
  const auto& high = a.id < b.id ? b : a;
  EXPECT_EQ(q(R"({"kinds":[1111]})"), (std::vector<std::string>{low.raw, high.raw}));
  EXPECT_EQ(query(store_, relay_, {filter(R"({"ids":[")" + high.id_hex() + R"("]})"),
                                   filter(R"({"ids":[")" + low.id_hex() + R"("]})")}),
            (std::vector<std::string>{low.raw, high.raw}));
  EXPECT_EQ(q(R"({"kinds":[1111],"limit":1})"), std::vector<std::string>{low.raw});
}

TEST_F(QueryTest, DefaultLimitAppliesToFiltersWithoutOne) {
  EventStore capped(pool_, EventStoreOptions{.default_limit = 4, .max_limit = 6});
  EXPECT_EQ(query(capped, relay_, {filter("{}")}), of({9, 8, 7, 6}));
  EXPECT_EQ(query(capped, relay_, {filter(R"({"limit":100})")}).size(), 6u);
}

TEST_F(QueryTest, CountMatchesAnyFilterOnce) {
  EXPECT_EQ(count(store_, relay_, {filter("{}")}), 10u);
  EXPECT_EQ(count(store_, relay_, {filter(R"({"kinds":[1],"limit":1})")}), 5u);  // limits do not apply
  EXPECT_EQ(count(store_, relay_, {filter(R"({"kinds":[1]})"), filter(R"({"#t":["three"]})")}), 7u);
  EXPECT_EQ(count(store_, relay_, {filter(R"({"#p":[")" + nostr::public_key(carol_).hex() + R"("],"kinds":[7]})")}), 5u);
  EXPECT_EQ(count(store_, relay_, {filter(R"({"kinds":[]})")}), 0u);
}

TEST_F(QueryTest, SearchMatchesWholeWordsIgnoringCaseAndExtensions) {
  const auto nostr_post = signed_event(alice_, 1, t0_ + 50, {}, "Best Nostr apps, reviewed");
  const auto other = signed_event(alice_, 1, t0_ + 51, {}, "orange purple");
  const auto secret = signed_event(alice_, 4, t0_ + 52, {}, "nostr apps (an encrypted DM's ciphertext)");
  write(store_, relay_, {nostr_post, other, secret});
  EXPECT_EQ(q(R"({"search":"nostr"})"), std::vector<std::string>{nostr_post.raw});
  EXPECT_EQ(q(R"({"search":"APPS best"})"), std::vector<std::string>{nostr_post.raw});
  EXPECT_EQ(q(R"({"search":"best language:en apps"})"), std::vector<std::string>{nostr_post.raw});
  EXPECT_EQ(q(R"({"search":"best orange"})"), std::vector<std::string>{});
  EXPECT_EQ(q(R"({"search":"purple","kinds":[1]})"), std::vector<std::string>{other.raw});
  EXPECT_EQ(q(R"({"search":"purple","kinds":[7]})"), std::vector<std::string>{});
  EXPECT_EQ(q(R"({"search":"number 3"})"), of({3}));
  EXPECT_EQ(count(store_, relay_, {filter(R"({"search":"note"})")}), 10u);
}

TEST_F(QueryTest, LongTagValuesAreStoredAndFoundByExactValue) {
  const std::string long_value = std::string(3000, 'x') + "-end";
  const std::string same_prefix = std::string(3000, 'x') + "-other";
  const auto a = signed_event(alice_, 1, t0_ + 60, {{"r", long_value}}, "long a");
  const auto b = signed_event(alice_, 1, t0_ + 61, {{"r", same_prefix}}, "long b");
  const auto results = write(store_, relay_, {a, b});
  EXPECT_TRUE(results[0].publish);
  EXPECT_TRUE(results[1].publish);

  nostr::FilterLimits limits;
  limits.max_tag_value_bytes = 8192;
  auto by = [&](const std::string& v) {
    auto f = nostr::parse_filter(R"({"#r":[")" + v + R"("]})", limits);
    return query(store_, relay_, {*f});
  };
  EXPECT_EQ(by(long_value), std::vector<std::string>{a.raw});
  EXPECT_EQ(by(same_prefix), std::vector<std::string>{b.raw});
  EXPECT_EQ(by(std::string(3000, 'x')), std::vector<std::string>{});
  auto both = nostr::parse_filter(R"({"#r":[")" + long_value + R"(",")" + same_prefix + R"("]})", limits);
  EXPECT_EQ(count(store_, relay_, {*both}), 2u);

  // A long value is indexed under its md5 in hex. Asking for that hex string
  // finds the event whose value it is, never the long one it is the key of.
  const std::string md5_of_a = detail::tag_key(long_value);
  ASSERT_EQ(md5_of_a.size(), 32u);
  EXPECT_EQ(by(md5_of_a), std::vector<std::string>{});
  const auto c = signed_event(alice_, 1, t0_ + 62, {{"r", md5_of_a}}, "short hex");
  EXPECT_TRUE(write(store_, relay_, {c})[0].publish);
  EXPECT_EQ(by(md5_of_a), std::vector<std::string>{c.raw});
  EXPECT_EQ(by(long_value), std::vector<std::string>{a.raw});
}

TEST_F(QueryTest, ValuesWithQuotesBackslashesAndBracesSurviveTheWayThrough) {
  // Array literals and SQL both give these characters meaning.
  const std::vector<std::string> nasty = {R"(a"b)", R"(a\b)", "{x,y}", "NULL", "' OR 1=1 --", "", " spaced ", "é✓"};
  std::vector<nostr::Event> events;
  for (std::size_t i = 0; i < nasty.size(); ++i)
    events.push_back(signed_event(alice_, 30078, t0_ + 70 + static_cast<std::int64_t>(i),
                                  {{"d", nasty[i]}, {"x", nasty[i]}}, "content " + nasty[i]));
  for (const auto& r : write(store_, relay_, events)) EXPECT_TRUE(r.publish) << r.message;
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    nostr::Filter f;
    f.tags.push_back(nostr::TagCondition{'x', {nasty[i]}});
    EXPECT_EQ(query(store_, relay_, {f}), std::vector<std::string>{events[i].raw}) << nasty[i];
    // Same address again: replacement must find it by its d value.
    const auto newer = signed_event(alice_, 30078, t0_ + 200, {{"d", nasty[i]}}, "newer");
    EXPECT_TRUE(write_one(store_, relay_, newer).publish) << nasty[i];
    EXPECT_EQ(query(store_, relay_, {f}).size(), 0u) << nasty[i];
  }
}

TEST_F(QueryTest, ExportAllHandsEveryEventOverOldestFirstInPages) {
  const auto tie1 = signed_event(alice_, 1, t0_ + 5, {}, "same second as #5 (1)");
  const auto tie2 = signed_event(bob_, 1, t0_ + 5, {}, "same second as #5 (2)");
  write(store_, relay_, {tie1, tie2});
  std::vector<std::vector<std::string>> pages;
  marina::testing::run_async([&]() -> boost::asio::awaitable<void> {
    co_await store_.export_all(relay_, 3, [&](std::vector<std::string>&& page) { pages.push_back(std::move(page)); });
  });
  std::vector<std::string> all;
  for (const auto& p : pages) {
    EXPECT_LE(p.size(), 3u);
    EXPECT_FALSE(p.empty());
    all.insert(all.end(), p.begin(), p.end());
  }
  ASSERT_EQ(all.size(), 12u);
  auto newest_first = q("{}");
  std::vector<std::string> sorted_all = all, sorted_query = newest_first;
  std::sort(sorted_all.begin(), sorted_all.end());
  std::sort(sorted_query.begin(), sorted_query.end());
  EXPECT_EQ(sorted_all, sorted_query);
  EXPECT_EQ(all.front(), events_[0].raw);
  EXPECT_EQ(all.back(), events_[9].raw);
}

TEST_F(QueryTest, ExportPageWalksTheSameSequenceWithACursor) {
  std::vector<std::size_t> sizes;
  std::vector<std::string> all;
  bool done_after_last = false;
  std::size_t after_done = 99;
  marina::testing::run_async([&]() -> boost::asio::awaitable<void> {
    EventStore::ExportCursor cursor;
    while (!cursor.done) {
      auto page = co_await store_.export_page(relay_, cursor, 4);
      sizes.push_back(page.size());
      all.insert(all.end(), page.begin(), page.end());
    }
    done_after_last = cursor.done;
    after_done = (co_await store_.export_page(relay_, cursor, 4)).size();
  });
  // 10 events in pages of 4: the short last page ends the walk.
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 2}));
  EXPECT_TRUE(done_after_last);
  EXPECT_EQ(after_done, 0u);
  ASSERT_EQ(all.size(), 10u);
  EXPECT_EQ(all.front(), events_[0].raw);
  EXPECT_EQ(all.back(), events_[9].raw);
}

TEST_F(QueryTest, ExportPageAdvancesItsCursorAndSaysWhenDone) {
  auto page = [&](EventStore::ExportCursor& cursor, std::size_t size) {
    return marina::testing::run_async([&]() -> boost::asio::awaitable<std::vector<std::string>> {
      co_return co_await store_.export_page(relay_, cursor, size);
    });
  };
  EventStore::ExportCursor cursor;
  EXPECT_EQ(page(cursor, 4), of({0, 1, 2, 3}));
  EXPECT_FALSE(cursor.done);
  EXPECT_EQ(page(cursor, 4), of({4, 5, 6, 7}));
  EXPECT_EQ(page(cursor, 4), of({8, 9}));
  EXPECT_TRUE(cursor.done);
  EXPECT_EQ(page(cursor, 4), of({}));

  EventStore::ExportCursor empty;
  auto none = marina::testing::run_async([&]() -> boost::asio::awaitable<std::vector<std::string>> {
    co_return co_await store_.export_page(new_relay_id(), empty, 4);
  });
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(empty.done);
}

}  // namespace
}  // namespace marina::store::testing
