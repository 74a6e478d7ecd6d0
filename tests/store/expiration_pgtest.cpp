// NIP-40: expired events are refused, never served, and purged.
#include <gtest/gtest.h>

#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using nostr::SecretKey;

class ExpirationTest : public ::testing::Test {
 protected:
  pg::Pool pool_{pool_options(shared_migrated_database())};
  EventStore store_{pool_};
  std::string relay_ = new_relay_id();
  SecretKey alice_ = SecretKey::generate();
  std::int64_t now_ = unix_now();
};

TEST_F(ExpirationTest, AlreadyExpiredEventIsRefused) {
  const auto e = signed_event(alice_, 1, now_ - 100, {{"expiration", std::to_string(now_ - 1)}}, "too late");
  const WriteResult r = write_one(store_, relay_, e);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.message, "invalid: this event has expired");
  EXPECT_EQ(query(store_, relay_, {nostr::Filter{}}).size(), 0u);
}

TEST_F(ExpirationTest, ExpiringEventIsServedUntilItsExpirationThenNeverAgain) {
  const std::int64_t expires = now_ + 3600;
  const auto e = signed_event(alice_, 1, now_ - 10, {{"expiration", std::to_string(expires)}, {"t", "soon"}}, "soon");
  const auto plain = signed_event(alice_, 1, now_ - 20, {}, "forever");
  write(store_, relay_, {e, plain});

  const std::vector<nostr::Filter> every_shape = {filter("{}"), filter(R"({"kinds":[1]})"), filter(R"({"#t":["soon"]})"),
                                                  filter(R"({"ids":[")" + e.id_hex() + R"("]})"),
                                                  filter(R"({"authors":[")" + e.pubkey_hex() + R"("]})")};
  for (const auto& f : every_shape) {
    EXPECT_EQ(query(store_, relay_, {f}, expires - 1).front(), e.raw) << nostr::filter_to_json(f);
    // At the expiration time it is expired (NIP-40), purged or not.
    const auto later = query(store_, relay_, {f}, expires);
    EXPECT_EQ(std::count(later.begin(), later.end(), e.raw), 0) << nostr::filter_to_json(f);
    EXPECT_EQ(count(store_, relay_, {f}, expires), f.tags.empty() && !f.ids ? 1u : 0u) << nostr::filter_to_json(f);
  }
}

TEST_F(ExpirationTest, PurgeDeletesExpiredEventsAndTheirTags) {
  const std::int64_t expires = now_ + 60;
  std::vector<nostr::Event> events;
  for (int i = 0; i < 5; ++i)
    events.push_back(signed_event(alice_, 1, now_ - i, {{"expiration", std::to_string(expires + i)}, {"t", "purge"}},
                                  "expiring " + std::to_string(i)));
  const auto plain = signed_event(alice_, 1, now_, {{"t", "purge"}}, "stays");
  events.push_back(plain);
  write(store_, relay_, events);

  // Purge as if the clock were past every expiration, a bounded number at a time.
  const std::int64_t later = expires + 100;
  auto purge = [&](std::size_t max_rows) {
    return marina::testing::run_async(
        [&]() -> boost::asio::awaitable<std::size_t> { co_return co_await store_.purge_expired(later, max_rows); });
  };
  std::size_t purged = 0;
  for (std::size_t n; (n = purge(2)) > 0;) {
    EXPECT_LE(n, 2u);
    purged += n;
  }
  // Other tests' expiring events in the shared database may be purged too.
  EXPECT_GE(purged, 5u);

  // Gone even when asked with a clock before the expiration.
  EXPECT_EQ(query(store_, relay_, {filter("{}")}, now_), std::vector<std::string>{plain.raw});
  EXPECT_EQ(count(store_, relay_, {filter(R"({"#t":["purge"]})")}, now_), 1u);
}

}  // namespace
}  // namespace marina::store::testing
