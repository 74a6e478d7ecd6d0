// The per-relay event count (migrations/0007) and the plan's stored-events
// cap the write path enforces with it.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using nostr::SecretKey;

class StoredCountTest : public ::testing::Test {
 protected:
  pg::Pool pool_{pool_options(shared_migrated_database())};
  EventStore store_{pool_};
  std::string relay_ = new_relay_id();
  SecretKey alice_ = SecretKey::generate();
  SecretKey bob_ = SecretKey::generate();
  std::int64_t t0_ = unix_now() - 10000;

  std::int64_t stored_count(const std::string& relay) {
    pqxx::connection conn(shared_migrated_database());
    pqxx::work tx(conn);
    const auto rows = tx.exec_params("SELECT stored FROM relay_event_counts WHERE relay_id = $1::uuid", relay);
    return rows.empty() ? 0 : rows[0][0].as<std::int64_t>();
  }
  std::int64_t counted_rows(const std::string& relay) {
    pqxx::connection conn(shared_migrated_database());
    pqxx::work tx(conn);
    return tx.exec_params1("SELECT count(*) FROM events WHERE relay_id = $1::uuid", relay)[0].as<std::int64_t>();
  }

  static std::shared_ptr<const relay::PlanLimits> plan_storing(std::int64_t max) {
    auto plan = std::make_shared<relay::PlanLimits>();
    plan->id = "tiny";
    plan->name = "Tiny";
    plan->max_stored_events = max;
    return plan;
  }
  std::vector<WriteResult> write_capped(const std::vector<nostr::Event>& events, std::int64_t max) {
    const auto plan = plan_storing(max);
    std::vector<WriteRequest> batch;
    for (const auto& e : events) batch.push_back(WriteRequest{relay_, e, "wss://test.relay.example", Nip40::refuse_expired, plan});
    return write(store_, std::move(batch));
  }
};

TEST_F(StoredCountTest, FollowsInsertsReplacementsAndDeletions) {
  const auto a = signed_event(alice_, 1, t0_, {}, "a");
  const auto b = signed_event(alice_, 1, t0_ + 1, {}, "b");
  const auto profile = signed_event(alice_, 0, t0_, {}, "{}");
  write(store_, relay_, {a, b, profile});
  EXPECT_EQ(stored_count(relay_), 3);

  // A newer profile replaces the old one: still three.
  write_one(store_, relay_, signed_event(alice_, 0, t0_ + 5, {}, R"({"name":"x"})"));
  EXPECT_EQ(stored_count(relay_), 3);

  // NIP-09: one deleted, the deletion stored.
  write_one(store_, relay_, signed_event(alice_, 5, t0_ + 6, {{"e", a.id_hex()}}));
  EXPECT_EQ(stored_count(relay_), 3);

  // NIP-62: everything of alice's up to now goes, the request stays.
  write_one(store_, relay_, signed_event(alice_, 62, t0_ + 7, {{"relay", "ALL_RELAYS"}}));
  EXPECT_EQ(stored_count(relay_), counted_rows(relay_));
  EXPECT_EQ(stored_count(relay_), 1);
}

TEST_F(StoredCountTest, EachRelayOfAMixedBatchCountsItsOwn) {
  const std::string other = new_relay_id();
  std::vector<WriteRequest> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(WriteRequest{relay_, signed_event(alice_, 1, t0_ + i, {}, "r1"), "wss://a.example"});
  for (int i = 0; i < 2; ++i) batch.push_back(WriteRequest{other, signed_event(bob_, 1, t0_ + i, {}, "r2"), "wss://b.example"});
  write(store_, std::move(batch));
  EXPECT_EQ(stored_count(relay_), 3);
  EXPECT_EQ(stored_count(other), 2);
}

TEST_F(StoredCountTest, PurgeOfExpiredEventsIsCounted) {
  const auto gone = signed_event(alice_, 1, t0_, {{"expiration", std::to_string(unix_now() + 1)}}, "soon");
  write(store_, relay_, {gone, signed_event(alice_, 1, t0_ + 1, {}, "stays")});
  EXPECT_EQ(stored_count(relay_), 2);
  marina::testing::run_async(
      [&]() -> boost::asio::awaitable<std::size_t> { co_return co_await store_.purge_expired(unix_now() + 10, 1000); });
  EXPECT_EQ(stored_count(relay_), counted_rows(relay_));
  EXPECT_EQ(stored_count(relay_), 1);
}

TEST_F(StoredCountTest, AFullRelayRefusesNewEventsWithThePlanNamed) {
  const auto results = write_capped({signed_event(alice_, 1, t0_, {}, "1"), signed_event(alice_, 1, t0_ + 1, {}, "2"),
                                     signed_event(alice_, 1, t0_ + 2, {}, "3")},
                                    2);
  EXPECT_TRUE(results[0].accepted);
  EXPECT_TRUE(results[1].accepted);
  EXPECT_FALSE(results[2].accepted);
  EXPECT_EQ(results[2].message, "blocked: this relay's plan (Tiny) stores at most 2 events");
  EXPECT_FALSE(results[2].publish);

  // A later batch reads the count the first one left.
  const auto later = write_capped({signed_event(bob_, 1, t0_ + 3, {}, "4")}, 2);
  EXPECT_FALSE(later[0].accepted);
  EXPECT_EQ(counted_rows(relay_), 2);

  // A larger plan lets it in.
  EXPECT_TRUE(write_capped({signed_event(bob_, 1, t0_ + 3, {}, "4")}, 3)[0].accepted);
}

TEST_F(StoredCountTest, AFullRelayStillTakesDeletionsAndNewVersions) {
  const auto note = signed_event(alice_, 1, t0_, {}, "note");
  const auto profile = signed_event(alice_, 0, t0_, {}, "{}");
  write_capped({note, profile}, 2);
  ASSERT_EQ(stored_count(relay_), 2);

  // A new version of a stored replaceable event adds nothing.
  EXPECT_TRUE(write_capped({signed_event(alice_, 0, t0_ + 1, {}, R"({"name":"new"})")}, 2)[0].publish);
  // A deletion is stored even at the cap, and frees room once applied.
  const auto deletion = write_capped({signed_event(alice_, 5, t0_ + 2, {{"e", note.id_hex()}})}, 2);
  EXPECT_TRUE(deletion[0].accepted) << deletion[0].message;
  EXPECT_EQ(stored_count(relay_), 2);  // profile + deletion
  // One more fits under a cap of three, and then no more.
  const auto batch = write_capped({signed_event(bob_, 1, t0_ + 3, {}, "no room")}, 3);
  EXPECT_TRUE(batch[0].accepted);
  EXPECT_FALSE(write_capped({signed_event(bob_, 1, t0_ + 4, {}, "full again")}, 3)[0].accepted);
}

TEST_F(StoredCountTest, EventsDeletedEarlierInTheBatchMakeRoom) {
  const auto note = signed_event(alice_, 1, t0_, {}, "note");
  write_capped({note}, 2);
  // [deletion of note (stored: 2 with itself, note gone: 1), new note]: fits.
  const auto results = write_capped(
      {signed_event(alice_, 5, t0_ + 1, {{"e", note.id_hex()}}), signed_event(alice_, 1, t0_ + 2, {}, "fits")}, 2);
  EXPECT_TRUE(results[1].accepted) << results[1].message;
  EXPECT_EQ(counted_rows(relay_), 2);
}

}  // namespace
}  // namespace marina::store::testing
