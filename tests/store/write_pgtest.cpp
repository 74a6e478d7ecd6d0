// EventStore::write: what is stored, what is refused, and what clients read back.
#include <gtest/gtest.h>

#include "marina/nostr/event_parse.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using nostr::SecretKey;

class WriteTest : public ::testing::Test {
 protected:
  pg::Pool pool_{pool_options(shared_migrated_database())};
  EventStore store_{pool_};
  std::string relay_ = new_relay_id();
  SecretKey alice_ = SecretKey::generate();
  SecretKey bob_ = SecretKey::generate();
  std::int64_t t0_ = unix_now() - 10000;
};

TEST_F(WriteTest, StoredEventComesBackAsTheExactBytesReceived) {
  const nostr::Event signed_note = signed_event(alice_, 1, t0_, {{"t", "hello"}}, "exact \"bytes\" \\ é ✓");
  // The same event as a client might format it: other key order, spaces,
  // escaped unicode. The relay must serve these bytes, not a re-serialization.
  const std::string client_json = "{ \"kind\": 1, \"content\": \"exact \\\"bytes\\\" \\\\ \\u00e9 \\u2713\",\n"
                                  "  \"tags\": [[\"t\", \"hello\"]], \"created_at\": " +
                                  std::to_string(t0_) + ", \"pubkey\": \"" + signed_note.pubkey_hex() +
                                  "\", \"id\": \"" + signed_note.id_hex() + "\", \"sig\": \"" + signed_note.sig_hex() +
                                  "\" }";
  auto parsed = nostr::parse_event(client_json);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_NE(parsed->raw, signed_note.raw);

  const WriteResult r = write_one(store_, relay_, *parsed);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.message, "");
  EXPECT_TRUE(r.publish);
  EXPECT_EQ(query(store_, relay_, {filter(R"({"kinds":[1]})")}), std::vector<std::string>{parsed->raw});
}

TEST_F(WriteTest, DuplicateIsAcceptedWithDuplicateMessageAndNotPublished) {
  const auto note = signed_event(alice_, 1, t0_, {}, "once");
  const WriteResult first = write_one(store_, relay_, note);
  EXPECT_TRUE(first.publish);
  EXPECT_FALSE(first.already_stored);

  const WriteResult again = write_one(store_, relay_, note);
  EXPECT_TRUE(again.accepted);
  EXPECT_EQ(again.message, "duplicate: already have this event");
  EXPECT_TRUE(again.already_stored);
  EXPECT_FALSE(again.publish);

  // Twice in one batch: the second is the duplicate.
  const auto other = signed_event(alice_, 1, t0_ + 1, {}, "twice");
  const auto results = write(store_, relay_, {other, other});
  EXPECT_TRUE(results[0].publish);
  EXPECT_TRUE(results[1].accepted);
  EXPECT_EQ(results[1].message.rfind("duplicate:", 0), 0u);
  EXPECT_FALSE(results[1].publish);
  EXPECT_EQ(query(store_, relay_, {filter("{}")}).size(), 2u);
}

TEST_F(WriteTest, ReplaceableKeepsOnlyTheNewest) {
  const auto v1 = signed_event(alice_, 0, t0_, {}, R"({"name":"one"})");
  const auto v2 = signed_event(alice_, 0, t0_ + 5, {}, R"({"name":"two"})");
  const auto old = signed_event(alice_, 0, t0_ + 2, {}, R"({"name":"older"})");
  EXPECT_TRUE(write_one(store_, relay_, v1).publish);
  EXPECT_TRUE(write_one(store_, relay_, v2).publish);

  const WriteResult r = write_one(store_, relay_, old);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.message, "duplicate: have a newer version of this event");
  EXPECT_FALSE(r.already_stored);  // another event is kept, not this one
  EXPECT_FALSE(r.publish);

  EXPECT_EQ(query(store_, relay_, {filter(R"({"kinds":[0]})")}), std::vector<std::string>{v2.raw});
  // Another author's kind 0 is another address.
  const auto bobs = signed_event(bob_, 0, t0_, {}, "{}");
  EXPECT_TRUE(write_one(store_, relay_, bobs).publish);
  EXPECT_EQ(count(store_, relay_, {filter(R"({"kinds":[0]})")}), 2u);
}

TEST_F(WriteTest, ReplaceableTieKeepsTheLowestIdWhateverTheArrivalOrder) {
  // Two versions with one created_at: the lower id must win both ways round.
  auto a = signed_event(alice_, 10002, t0_, {{"r", "wss://a.example"}});
  auto b = signed_event(alice_, 10002, t0_, {{"r", "wss://b.example"}});
  if (b.id < a.id) std::swap(a, b);  // a has the lower id

  const std::string first_low = new_relay_id();
  EXPECT_TRUE(write_one(store_, first_low, a).publish);
  const WriteResult loser = write_one(store_, first_low, b);
  EXPECT_TRUE(loser.accepted);
  EXPECT_FALSE(loser.publish);

  const std::string first_high = new_relay_id();
  EXPECT_TRUE(write_one(store_, first_high, b).publish);
  EXPECT_TRUE(write_one(store_, first_high, a).publish);

  const std::string same_batch = new_relay_id();
  const auto results = write(store_, same_batch, {b, a});
  EXPECT_TRUE(results[0].publish);
  EXPECT_TRUE(results[1].publish);

  for (const auto& relay : {first_low, first_high, same_batch})
    EXPECT_EQ(query(store_, relay, {filter(R"({"kinds":[10002]})")}), std::vector<std::string>{a.raw}) << relay;
}

TEST_F(WriteTest, AddressableKeepsTheNewestPerDTag) {
  const auto a1 = signed_event(alice_, 30023, t0_, {{"d", "post-a"}}, "a v1");
  const auto a2 = signed_event(alice_, 30023, t0_ + 10, {{"d", "post-a"}}, "a v2");
  const auto b1 = signed_event(alice_, 30023, t0_ + 5, {{"d", "post-b"}}, "b v1");
  const auto no_d = signed_event(alice_, 30023, t0_ + 1, {}, "no d tag: d is \"\"");
  const auto empty_d = signed_event(alice_, 30023, t0_ + 2, {{"d", ""}}, "explicit empty d");
  const auto results = write(store_, relay_, {a1, b1, a2, no_d, empty_d});
  for (const auto& r : results) EXPECT_TRUE(r.accepted) << r.message;

  // a2 replaced a1; empty_d replaced no_d (same address: d "").
  EXPECT_EQ(query(store_, relay_, {filter(R"({"kinds":[30023]})")}), (std::vector<std::string>{a2.raw, b1.raw, empty_d.raw}));
  EXPECT_EQ(query(store_, relay_, {filter(R"({"kinds":[30023],"#d":["post-a"]})")}), std::vector<std::string>{a2.raw});

  const auto stale = signed_event(alice_, 30023, t0_ + 3, {{"d", "post-a"}}, "a stale");
  EXPECT_EQ(write_one(store_, relay_, stale).message, "duplicate: have a newer version of this event");
}

TEST_F(WriteTest, NewerVersionInTheSameBatchReplacesTheEarlierOne) {
  const auto v1 = signed_event(alice_, 3, t0_, {{"p", nostr::public_key(bob_).hex()}});
  const auto v2 = signed_event(alice_, 3, t0_ + 1, {});
  const auto results = write(store_, relay_, {v1, v2});
  EXPECT_TRUE(results[0].accepted);
  EXPECT_TRUE(results[1].publish);
  EXPECT_EQ(query(store_, relay_, {filter(R"({"kinds":[3]})")}), std::vector<std::string>{v2.raw});
  // The replaced version's tags went with it.
  EXPECT_EQ(count(store_, relay_, {filter(R"({"#p":[")" + nostr::public_key(bob_).hex() + R"("]})")}), 0u);
}

TEST_F(WriteTest, EventOfOneRelayIsNeverServedToAnother) {
  const std::string other = new_relay_id();
  const auto note = signed_event(alice_, 1, t0_, {{"t", "isolated"}}, "only on relay A");
  write_one(store_, relay_, note);

  const std::vector<nostr::Filter> filters = {
      filter("{}"),
      filter(R"({"ids":[")" + note.id_hex() + R"("]})"),
      filter(R"({"authors":[")" + note.pubkey_hex() + R"("]})"),
      filter(R"({"kinds":[1]})"),
      filter(R"({"#t":["isolated"]})"),
      filter(R"({"search":"relay"})"),
  };
  for (const auto& f : filters) {
    EXPECT_EQ(query(store_, other, {f}).size(), 0u) << nostr::filter_to_json(f);
    EXPECT_EQ(count(store_, other, {f}), 0u) << nostr::filter_to_json(f);
    EXPECT_EQ(query(store_, relay_, {f}).size(), 1u) << nostr::filter_to_json(f);
  }
  // The same event on the other relay is a new event there, not a duplicate.
  EXPECT_TRUE(write_one(store_, other, note).publish);
}

TEST_F(WriteTest, OneBatchMayMixRelaysAndKeepsInputOrder) {
  const std::string r2 = new_relay_id();
  const auto n1 = signed_event(alice_, 1, t0_, {}, "one");
  const auto n2 = signed_event(alice_, 1, t0_ + 1, {}, "two");
  std::vector<WriteRequest> batch{{relay_, n1, ""}, {r2, n2, ""}, {relay_, n1, ""}, {"not-a-uuid", n2, ""}};
  const auto results = write(store_, std::move(batch));
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].publish);
  EXPECT_TRUE(results[1].publish);
  EXPECT_EQ(results[2].message, "duplicate: already have this event");
  EXPECT_FALSE(results[3].accepted);
  EXPECT_EQ(query(store_, relay_, {filter("{}")}), std::vector<std::string>{n1.raw});
  // Upper-case spelling of a relay id is the same relay.
  std::string upper = r2;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(query(store_, upper, {filter("{}")}), std::vector<std::string>{n2.raw});
}

TEST_F(WriteTest, EphemeralEventsAreNotStored) {
  const auto ephemeral = signed_event(alice_, 20001, t0_, {}, "live only");
  const WriteResult r = write_one(store_, relay_, ephemeral);
  EXPECT_FALSE(r.accepted);
  EXPECT_FALSE(r.publish);
  EXPECT_EQ(query(store_, relay_, {filter("{}")}).size(), 0u);
}

TEST_F(WriteTest, DTagWithNulIsRefusedWithoutFailingTheBatch) {
  const auto bad = signed_event(alice_, 30000, t0_, {{"d", std::string("a\0b", 3)}});
  const auto good = signed_event(alice_, 1, t0_, {{"t", std::string("x\0y", 3)}}, std::string("nul\0inside", 10));
  const auto results = write(store_, relay_, {bad, good});
  EXPECT_FALSE(results[0].accepted);
  EXPECT_EQ(results[0].message.rfind("invalid:", 0), 0u);
  EXPECT_TRUE(results[1].publish);
  EXPECT_EQ(query(store_, relay_, {filter("{}")}), std::vector<std::string>{good.raw});
}

}  // namespace
}  // namespace marina::store::testing
