// The store's pure parts: relay statuses and URLs, addresses, array literals,
// search words, and the rules a batch is replayed by.
#include <gtest/gtest.h>

#include "address.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/sha256.hpp"
#include "marina/store/relay.hpp"
#include "query_sql.hpp"
#include "relay_url.hpp"
#include "search_lexemes.hpp"
#include "sql_array.hpp"
#include "uuid.hpp"
#include "write_plan.hpp"

namespace marina::store {
namespace {

TEST(RelayStatus, RoundTripsThroughText) {
  for (auto s : {RelayStatus::active, RelayStatus::inactive, RelayStatus::suspended})
    EXPECT_EQ(parse_relay_status(to_string(s)), s);
  EXPECT_EQ(parse_relay_status("Active"), std::nullopt);
}

TEST(RelayUrlKey, EverySpellingOfOneRelayHasTheSameKey) {
  const std::string want = detail::relay_url_key("wss://foo.relay.example");
  EXPECT_EQ(want, "foo.relay.example");
  for (const char* url : {"wss://foo.relay.example/", "WSS://FOO.relay.example", "wss://foo.relay.example:443",
                          "ws://foo.relay.example:80/", " wss://foo.relay.example\n"})
    EXPECT_EQ(detail::relay_url_key(url), want) << url;
  EXPECT_NE(detail::relay_url_key("wss://foo.relay.example:444"), want);
  EXPECT_NE(detail::relay_url_key("wss://bar.relay.example"), want);
  EXPECT_NE(detail::relay_url_key("wss://foo.relay.example/path"), want);
}

TEST(Address, ParsesATagsTheWayEventsAreAddressed) {
  const std::string pk(64, 'c');
  auto a = detail::parse_address("30023:" + pk + ":my:slug");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, 30023);
  EXPECT_EQ(a->pubkey.hex(), pk);
  EXPECT_EQ(a->d, "my:slug");
  EXPECT_EQ(detail::parse_address("0:" + pk + ":ignored")->d, "");
  EXPECT_EQ(detail::parse_address("1:" + pk + ":"), std::nullopt);  // regular kinds have no address
  EXPECT_EQ(detail::parse_address("30023:" + pk), std::nullopt);
  EXPECT_EQ(detail::parse_address("70000:" + pk + ":x"), std::nullopt);
  EXPECT_EQ(detail::parse_address("-1:" + pk + ":x"), std::nullopt);
  EXPECT_EQ(detail::parse_address("30023:" + std::string(64, 'C') + ":x"), std::nullopt);
}

TEST(ArrayLiteral, QuotesEveryElementAndEscapesOnlyQuoteAndBackslash) {
  detail::ArrayLiteral a;
  a.text(R"(plain)");
  a.text(R"(q"uote)");
  a.text(R"(back\slash)");
  a.text("{,}");
  a.null();
  a.integer(-42);
  const std::uint8_t bytes[] = {0x00, 0xab};
  a.bytes(bytes);
  EXPECT_EQ(std::move(a).finish(), R"({"plain","q\"uote","back\\slash","{,}",NULL,-42,"\\x00ab"})");
  EXPECT_EQ(detail::ArrayLiteral().finish(), "{}");
}

TEST(Uuid, CanonicalIsLowerCaseAndStrict) {
  EXPECT_EQ(detail::canonical_uuid("0A0B0C0D-1111-4222-8333-444455556666"), "0a0b0c0d-1111-4222-8333-444455556666");
  EXPECT_EQ(detail::canonical_uuid("0a0b0c0d111142228333444455556666"), std::nullopt);
  EXPECT_EQ(detail::canonical_uuid("0a0b0c0d-1111-4222-8333-44445555666g"), std::nullopt);
  EXPECT_EQ(detail::canonical_uuid("'; DROP TABLE events; --'"), std::nullopt);
}

TEST(Search, WordsAreLowerCasedRunsOfLettersAndDigits) {
  EXPECT_EQ(detail::search_lexemes("Best Nostr-apps, v2! Señor 日本語 best"),
            (std::vector<std::string>{"apps", "best", "nostr", "señor", "v2", "日本語"}));
  EXPECT_EQ(detail::search_lexemes(" ... "), std::vector<std::string>{});
  EXPECT_EQ(detail::search_lexemes(std::string(3000, 'a') + " short"), std::vector<std::string>{"short"});
}

TEST(Search, QueryRequiresEveryWordAndIgnoresExtensions) {
  EXPECT_EQ(detail::search_tsquery("  best   Nostr apps "), "'apps' & 'best' & 'nostr'");
  EXPECT_EQ(detail::search_tsquery("orange language:en include:spam"), "'orange'");
  EXPECT_EQ(detail::search_tsquery("language:en"), std::nullopt);
  EXPECT_EQ(detail::search_tsquery("it's"), "'it' & 's'");
  // Like live matching: "time:" has no value, "12:00" reads as key:value.
  EXPECT_EQ(detail::search_tsquery("time: 12:00"), "'time'");
}

TEST(Search, TsvectorBinaryFormIsCountThenLexemesWithoutPositions) {
  const std::string b = detail::tsvector_binary({"ab", "c"});
  EXPECT_EQ(b, std::string("\0\0\0\2ab\0\0\0c\0\0\0", 4 + 5 + 4));
}

TEST(Driver, ChoosesTheMostSelectiveIndex) {
  nostr::Filter f;
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::scan);
  f.kinds = std::vector<nostr::Kind>{1};
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::kind);
  f.search = "word";
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::scan);
  f.authors = std::vector<nostr::PublicKey>(3);
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::author_kind);
  f.kinds = std::vector<nostr::Kind>(100);
  f.authors = std::vector<nostr::PublicKey>(500);
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::author);
  f.tags.push_back({'p', {"x"}});
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::tag);
  f.ids = std::vector<nostr::EventId>(1);
  EXPECT_EQ(detail::choose_driver(f), detail::Driver::ids);
}

// The batch rules, replayed without a database.
class PlanTest : public ::testing::Test {
 protected:
  nostr::Event event(nostr::Kind kind, std::int64_t at, nostr::Tags tags = {}, const nostr::SecretKey* key = nullptr) {
    nostr::EventTemplate t{at, kind, std::move(tags), "c"};
    return nostr::sign(t, key ? *key : alice_);
  }
  detail::WritePlan plan(const std::vector<nostr::Event>& events, const detail::PriorState& prior = {}) {
    requests_.clear();
    for (const auto& e : events) requests_.push_back(WriteRequest{"r", e, "wss://here.example"});
    std::vector<const WriteRequest*> batch;
    for (const auto& r : requests_) batch.push_back(&r);
    return detail::plan_writes(batch, prior, 2000000000);
  }

  nostr::SecretKey alice_ = nostr::SecretKey::generate();
  nostr::SecretKey bob_ = nostr::SecretKey::generate();
  std::vector<WriteRequest> requests_;
};

TEST_F(PlanTest, ReplacingAStoredVersionDeletesIt) {
  const auto newer = event(0, 200);
  detail::PriorState prior;
  const nostr::EventId stored_id = nostr::EventId::from_span(nostr::sha256("stored").span());
  prior.current[detail::Address{newer.pubkey, 0, ""}] = detail::StoredEvent{stored_id, newer.pubkey, 0, 100};
  const auto p = plan({newer}, prior);
  EXPECT_EQ(p.inserts, std::vector<std::size_t>{0});
  EXPECT_EQ(p.delete_ids, std::vector<nostr::EventId>{stored_id});
}

TEST_F(PlanTest, DeletionOnlyTouchesTheAuthorsOwnEvents) {
  const auto mine = event(1, 100);
  const auto theirs = event(1, 100, {}, &bob_);
  const auto del = event(5, 101, {{"e", mine.id_hex()}, {"e", theirs.id_hex()}});
  const auto p = plan({mine, theirs, del});
  EXPECT_EQ(p.inserts, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(p.id_tombstones.size(), 2u);  // both remembered, each blocks only Alice's event
}

TEST_F(PlanTest, VanishSparesOtherAuthorsAndNewerEvents) {
  const auto old_note = event(1, 100);
  const auto bobs = event(1, 100, {}, &bob_);
  const auto vanish = event(62, 150, {{"relay", "wss://here.example/"}});
  const auto newer = event(1, 151);
  const auto p = plan({old_note, bobs, vanish, newer});
  EXPECT_EQ(p.inserts, (std::vector<std::size_t>{1, 2, 3}));
  ASSERT_EQ(p.vanishes.size(), 1u);
  EXPECT_EQ(p.vanishes[0].second, 150);
}

}  // namespace
}  // namespace marina::store
