// Batches written at the same time by different ingest workers: the rules of
// one relay hold as if the batches had come one after the other.
#include <gtest/gtest.h>

#include <thread>

#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using nostr::SecretKey;

class ConcurrencyTest : public ::testing::Test {
 protected:
  // Writes the two batches from two threads at once, each through its own
  // pool (as two relay-ingest replicas would).
  void race(std::vector<WriteRequest> a, std::vector<WriteRequest> b) {
    std::thread other([&] { write(store_b_, std::move(b)); });
    write(store_a_, std::move(a));
    other.join();
  }
  static std::vector<WriteRequest> batch(const std::string& relay, std::vector<nostr::Event> events) {
    std::vector<WriteRequest> out;
    for (auto& e : events) out.push_back(WriteRequest{relay, std::move(e), ""});
    return out;
  }
  // Filler that makes each batch take long enough to overlap.
  std::vector<nostr::Event> filler(int n) {
    std::vector<nostr::Event> out;
    for (int i = 0; i < n; ++i) out.push_back(signed_event(SecretKey::generate(), 1, t0_ + i, {}, "filler"));
    return out;
  }

  pg::Pool pool_a_{pool_options(shared_migrated_database(), 2)};
  pg::Pool pool_b_{pool_options(shared_migrated_database(), 2)};
  EventStore store_a_{pool_a_};
  EventStore store_b_{pool_b_};
  SecretKey alice_ = SecretKey::generate();
  std::int64_t t0_ = unix_now() - 10000;
};

TEST_F(ConcurrencyTest, RacingVersionsOfOneAddressKeepExactlyTheNewest) {
  const auto fill_a = filler(60);
  const auto fill_b = filler(60);
  for (int round = 0; round < 20; ++round) {
    const std::string relay = new_relay_id();
    // Alternate which batch carries the newer version.
    const auto older = signed_event(alice_, 30000, t0_ + round, {{"d", "list"}}, "older");
    const auto newer = signed_event(alice_, 30000, t0_ + round + 1, {{"d", "list"}}, "newer");
    auto a = fill_a;
    auto b = fill_b;
    a.push_back(round % 2 ? older : newer);
    b.push_back(round % 2 ? newer : older);
    race(batch(relay, std::move(a)), batch(relay, std::move(b)));
    EXPECT_EQ(query(store_a_, relay, {filter(R"({"kinds":[30000]})")}), std::vector<std::string>{newer.raw})
        << "round " << round;
  }
}

TEST_F(ConcurrencyTest, RacingTiedVersionsKeepTheLowestId) {
  for (int round = 0; round < 10; ++round) {
    const std::string relay = new_relay_id();
    auto x = signed_event(alice_, 10000, t0_, {{"p", std::string(64, 'a')}});
    auto y = signed_event(alice_, 10000, t0_, {{"p", std::string(64, 'b')}});
    const auto& low = x.id < y.id ? x : y;
    auto a = filler(40);
    auto b = filler(40);
    a.push_back(x);
    b.push_back(y);
    race(batch(relay, std::move(a)), batch(relay, std::move(b)));
    EXPECT_EQ(query(store_a_, relay, {filter(R"({"kinds":[10000]})")}), std::vector<std::string>{low.raw});
  }
}

TEST_F(ConcurrencyTest, RacingDeletionAndTargetNeverLeaveTheTargetStored) {
  for (int round = 0; round < 20; ++round) {
    const std::string relay = new_relay_id();
    const auto note = signed_event(alice_, 1, t0_, {}, "to be deleted " + std::to_string(round));
    const auto del = signed_event(alice_, 5, t0_ + 1, {{"e", note.id_hex()}});
    auto a = filler(50);
    auto b = filler(50);
    a.push_back(note);
    b.push_back(del);
    race(batch(relay, std::move(a)), batch(relay, std::move(b)));
    EXPECT_EQ(count(store_a_, relay, {filter(R"({"ids":[")" + note.id_hex() + R"("]})")}), 0u) << "round " << round;
    EXPECT_EQ(count(store_a_, relay, {filter(R"({"kinds":[5]})")}), 1u);
  }
}

TEST_F(ConcurrencyTest, TheSameEventRacingIsStoredOnceAndPublishedOnce) {
  const std::string relay = new_relay_id();
  const auto note = signed_event(alice_, 1, t0_, {}, "delivered twice");
  std::vector<WriteResult> ra, rb;
  std::thread other([&] { rb = write(store_b_, batch(relay, {note})); });
  ra = write(store_a_, batch(relay, {note}));
  other.join();
  EXPECT_TRUE(ra[0].accepted);
  EXPECT_TRUE(rb[0].accepted);
  EXPECT_EQ(int(ra[0].publish) + int(rb[0].publish), 1);
  EXPECT_EQ(query(store_a_, relay, {filter("{}")}), std::vector<std::string>{note.raw});
}

}  // namespace
}  // namespace marina::store::testing
