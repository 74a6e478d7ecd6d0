// NIP-09 deletion requests and NIP-62 requests to vanish.
#include <gtest/gtest.h>

#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using nostr::SecretKey;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

class DeletionTest : public ::testing::Test {
 protected:
  std::vector<std::string> all() { return query(store_, relay_, {filter("{}")}); }
  static bool has(const std::vector<std::string>& raws, const nostr::Event& e) {
    return std::find(raws.begin(), raws.end(), e.raw) != raws.end();
  }
  nostr::Event deletion(const SecretKey& key, std::int64_t at, nostr::Tags tags) {
    return signed_event(key, 5, at, std::move(tags), "deleted");
  }

  pg::Pool pool_{pool_options(shared_migrated_database())};
  EventStore store_{pool_};
  std::string relay_ = new_relay_id();
  std::string url_ = "wss://vanish-test.relay.example";
  SecretKey alice_ = SecretKey::generate();
  SecretKey bob_ = SecretKey::generate();
  std::string alice_hex_ = nostr::public_key(alice_).hex();
  std::int64_t t0_ = unix_now() - 10000;
};

TEST_F(DeletionTest, AuthorDeletesOwnEventByIdAndItCannotComeBack) {
  const auto note = signed_event(alice_, 1, t0_, {{"t", "gone"}}, "regret");
  const auto keep = signed_event(alice_, 1, t0_ + 1, {}, "keep");
  write(store_, relay_, {note, keep});
  const auto del = deletion(alice_, t0_ + 2, {{"e", note.id_hex()}, {"k", "1"}});
  EXPECT_TRUE(write_one(store_, relay_, del).publish);

  const auto now = all();
  EXPECT_FALSE(has(now, note));
  EXPECT_TRUE(has(now, keep));
  EXPECT_TRUE(has(now, del));  // the deletion request itself is served (NIP-09)
  EXPECT_EQ(count(store_, relay_, {filter(R"({"#t":["gone"]})")}), 0u);

  const WriteResult again = write_one(store_, relay_, note);
  EXPECT_FALSE(again.accepted);
  EXPECT_EQ(again.message, "blocked: this event was deleted");
  EXPECT_FALSE(has(all(), note));
}

TEST_F(DeletionTest, SomeoneElsesDeletionDoesNothing) {
  const auto note = signed_event(alice_, 1, t0_, {}, "mine");
  write_one(store_, relay_, note);
  const auto del = deletion(bob_, t0_ + 1, {{"e", note.id_hex()}, {"a", "30023:" + alice_hex_ + ":post"}});
  EXPECT_TRUE(write_one(store_, relay_, del).accepted);
  EXPECT_TRUE(has(all(), note));

  // Nor does it block Alice's events that arrive later.
  const auto post = signed_event(alice_, 30023, t0_, {{"d", "post"}}, "article");
  const auto late = signed_event(alice_, 1, t0_ + 3, {}, "later");
  write(store_, relay_, {post, late});
  const auto del2 = deletion(bob_, t0_ + 4, {{"e", late.id_hex()}});
  write_one(store_, relay_, del2);
  EXPECT_TRUE(has(all(), post));
  EXPECT_TRUE(has(all(), late));
}

TEST_F(DeletionTest, DeletionLaterInTheSameBatchDeletesItsTarget) {
  const auto note = signed_event(alice_, 1, t0_, {}, "short-lived");
  const auto del = deletion(alice_, t0_ + 1, {{"e", note.id_hex()}});
  const auto results = write(store_, relay_, {note, del});
  EXPECT_TRUE(results[0].accepted);
  EXPECT_TRUE(results[1].accepted);
  EXPECT_EQ(all(), std::vector<std::string>{del.raw});
}

TEST_F(DeletionTest, DeletionBeforeItsTargetBlocksIt) {
  // The deletion may reach the relay first (another relay forwarded it).
  const auto note = signed_event(alice_, 1, t0_, {}, "late arrival");
  const auto del = deletion(alice_, t0_ + 1, {{"e", note.id_hex()}});
  const auto results = write(store_, relay_, {del, note});
  EXPECT_TRUE(results[0].accepted);
  EXPECT_FALSE(results[1].accepted);
  EXPECT_EQ(results[1].message, "blocked: this event was deleted");
  EXPECT_EQ(all(), std::vector<std::string>{del.raw});
}

TEST_F(DeletionTest, AddressDeletionCoversVersionsUpToItsCreatedAt) {
  const auto v1 = signed_event(alice_, 30023, t0_, {{"d", "draft"}}, "v1");
  const auto other = signed_event(alice_, 30023, t0_, {{"d", "other"}}, "other address");
  write(store_, relay_, {v1, other});
  const auto del = deletion(alice_, t0_ + 10, {{"a", "30023:" + alice_hex_ + ":draft"}});
  write_one(store_, relay_, del);
  EXPECT_FALSE(has(all(), v1));
  EXPECT_TRUE(has(all(), other));

  // A version older than (or as old as) the deletion stays deleted ...
  const auto v_old = signed_event(alice_, 30023, t0_ + 10, {{"d", "draft"}}, "as old as the deletion");
  EXPECT_EQ(write_one(store_, relay_, v_old).message, "blocked: this event was deleted");
  // ... a newer one is a new version.
  const auto v_new = signed_event(alice_, 30023, t0_ + 11, {{"d", "draft"}}, "new");
  EXPECT_TRUE(write_one(store_, relay_, v_new).publish);
  EXPECT_TRUE(has(all(), v_new));
}

TEST_F(DeletionTest, AddressDeletionOfAReplaceableEvent) {
  const auto profile = signed_event(alice_, 0, t0_, {}, "{}");
  write_one(store_, relay_, profile);
  write_one(store_, relay_, deletion(alice_, t0_ + 1, {{"a", "0:" + alice_hex_ + ":"}}));
  EXPECT_EQ(count(store_, relay_, {filter(R"({"kinds":[0]})")}), 0u);
  EXPECT_FALSE(write_one(store_, relay_, profile).accepted);
}

TEST_F(DeletionTest, DeletingADeletionHasNoEffect) {
  const auto note = signed_event(alice_, 1, t0_, {}, "deleted note");
  const auto del = deletion(alice_, t0_ + 1, {{"e", note.id_hex()}});
  write(store_, relay_, {note, del});
  const auto undelete = deletion(alice_, t0_ + 2, {{"e", del.id_hex()}});
  write_one(store_, relay_, undelete);
  EXPECT_TRUE(has(all(), del));
  EXPECT_FALSE(write_one(store_, relay_, note).accepted);
}

TEST_F(DeletionTest, VanishRemovesTheAuthorsEventsAndGiftWrapsToThemAndRefusesOlderOnes) {
  const auto note = signed_event(alice_, 1, t0_, {}, "alice note");
  const auto profile = signed_event(alice_, 0, t0_, {}, "{}");
  const auto del = deletion(alice_, t0_ + 1, {{"e", note.id_hex()}});
  const auto wrap_to_alice = signed_event(SecretKey::generate(), 1059, t0_, {{"p", alice_hex_}}, "ciphertext");
  const auto wrap_to_bob =
      signed_event(SecretKey::generate(), 1059, t0_, {{"p", nostr::public_key(bob_).hex()}}, "ciphertext");
  const auto bobs = signed_event(bob_, 1, t0_, {{"p", alice_hex_}}, "bob mentions alice");
  write(store_, relay_, {profile, del, wrap_to_alice, wrap_to_bob, bobs}, url_);

  const auto vanish = signed_event(alice_, 62, t0_ + 100, {{"relay", "WSS://Vanish-Test.Relay.Example/"}}, "forget me");
  EXPECT_TRUE(write_one(store_, relay_, vanish, url_).accepted);

  const auto now = all();
  EXPECT_FALSE(has(now, profile));
  EXPECT_FALSE(has(now, del));  // deletion requests too (NIP-62)
  EXPECT_FALSE(has(now, wrap_to_alice));
  EXPECT_TRUE(has(now, wrap_to_bob));
  EXPECT_TRUE(has(now, bobs));
  EXPECT_TRUE(has(now, vanish));  // kept as the record of the request

  // Nothing of Alice's up to the request can be re-broadcast into the relay.
  for (const auto& e : {note, profile, wrap_to_alice}) {
    const WriteResult r = write_one(store_, relay_, e, url_);
    EXPECT_FALSE(r.accepted);
    EXPECT_TRUE(starts_with(r.message, "blocked:")) << r.message;
  }
  const auto newer = signed_event(alice_, 1, t0_ + 101, {}, "back again");
  EXPECT_TRUE(write_one(store_, relay_, newer, url_).publish);
  // Re-delivery of the request itself is harmless.
  EXPECT_EQ(write_one(store_, relay_, vanish, url_).message, "duplicate: already have this event");
}

TEST_F(DeletionTest, VanishForAnotherRelayDoesNothingHereButAllRelaysDoes) {
  const auto note = signed_event(alice_, 1, t0_, {}, "stays");
  write_one(store_, relay_, note, url_);
  const auto elsewhere = signed_event(alice_, 62, t0_ + 1, {{"relay", "wss://other.relay.example"}}, "");
  EXPECT_TRUE(write_one(store_, relay_, elsewhere, url_).accepted);
  EXPECT_TRUE(has(all(), note));

  const auto everywhere = signed_event(alice_, 62, t0_ + 2, {{"relay", "ALL_RELAYS"}}, "");
  write_one(store_, relay_, everywhere, url_);
  EXPECT_FALSE(has(all(), note));
}

TEST_F(DeletionTest, VanishInTheMiddleOfABatch) {
  const auto before = signed_event(alice_, 1, t0_, {}, "before");
  const auto vanish = signed_event(alice_, 62, t0_ + 5, {{"relay", url_}}, "");
  const auto old_after = signed_event(alice_, 1, t0_ + 1, {}, "older, arriving after");
  const auto new_after = signed_event(alice_, 1, t0_ + 6, {}, "newer");
  const auto results = write(store_, relay_, {before, vanish, old_after, new_after}, url_);
  EXPECT_TRUE(results[0].accepted);
  EXPECT_TRUE(results[1].accepted);
  EXPECT_FALSE(results[2].accepted);
  EXPECT_TRUE(results[3].publish);
  EXPECT_EQ(all(), (std::vector<std::string>{new_after.raw, vanish.raw}));
}

TEST_F(DeletionTest, VanishRemovesAHistoryLargerThanOneChunk) {
  // The store deletes a vanishing pubkey's events 5,000 at a time.
  std::vector<nostr::Event> history;
  for (int i = 0; i < 5200; ++i) history.push_back(signed_event(alice_, 1, t0_ + i % 50, {{"t", "old"}}, std::to_string(i)));
  for (std::size_t from = 0; from < history.size(); from += 1000)
    write(store_, relay_, std::vector<nostr::Event>(history.begin() + from, history.begin() + std::min(history.size(), from + 1000)));
  EXPECT_EQ(count(store_, relay_, {filter(R"({"#t":["old"]})")}), 5200u);
  write_one(store_, relay_, signed_event(alice_, 62, t0_ + 100, {{"relay", "ALL_RELAYS"}}), url_);
  EXPECT_EQ(count(store_, relay_, {filter(R"({"kinds":[1]})")}), 0u);
  EXPECT_EQ(count(store_, relay_, {filter(R"({"#t":["old"]})")}), 0u);
}

TEST_F(DeletionTest, DeletedEventsTakeTheirTagRowsWithThem) {
  // Tag rows are found through the value index from the event's own tags;
  // none may be left behind, whatever removed the event.
  auto tag_rows = [&] {
    pqxx::connection conn(shared_migrated_database());
    pqxx::nontransaction tx(conn);
    return tx.exec_params1("SELECT count(*) FROM event_tags WHERE relay_id = $1::uuid", relay_)[0].as<int>();
  };
  const std::string long_value(500, 'v');
  const auto v1 = signed_event(alice_, 3, t0_, {{"p", alice_hex_}, {"t", long_value}, {"t", long_value}});
  const auto v2 = signed_event(alice_, 3, t0_ + 1, {{"p", alice_hex_}});
  const auto note = signed_event(alice_, 1, t0_, {{"t", "a"}, {"e", std::string(64, 'f')}});
  const auto post = signed_event(alice_, 30023, t0_, {{"d", "slug"}, {"t", "b"}});
  const auto expiring =
      signed_event(alice_, 1, t0_, {{"t", "c"}, {"expiration", std::to_string(unix_now() + 100)}}, "soon gone");
  write(store_, relay_, {v1, note, post, expiring});
  EXPECT_EQ(tag_rows(), 2 + 2 + 2 + 1);

  write_one(store_, relay_, v2);  // replaces v1
  EXPECT_EQ(tag_rows(), 1 + 2 + 2 + 1);
  write_one(store_, relay_, deletion(alice_, t0_ + 2, {{"e", note.id_hex()}, {"a", "30023:" + alice_hex_ + ":slug"}}));
  EXPECT_EQ(tag_rows(), 1 + 1 + 2);  // v2, expiring, and the deletion's own e and a
  marina::testing::run_async([&]() -> boost::asio::awaitable<void> {
    co_await store_.purge_expired(unix_now() + 1000, 1000000);
  });
  EXPECT_EQ(tag_rows(), 1 + 2);
  write_one(store_, relay_, signed_event(alice_, 62, t0_ + 10, {{"relay", "ALL_RELAYS"}}), url_);
  EXPECT_EQ(tag_rows(), 0);  // the request's own `relay` tag is no single letter
}

}  // namespace
}  // namespace marina::store::testing
