// NIP-40: expired events are refused, never served, and purged; a relay's
// NIP-40 configuration moves the read bound and keeps what it still serves.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <pqxx/pqxx>

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

// A relay row with NIP-40 configuration rows (relay_config needs its relay).
std::string relay_with_config(const std::vector<std::pair<std::string, std::string>>& rows) {
  pqxx::connection conn(shared_migrated_database());
  pqxx::work tx(conn);
  const std::string owner = nostr::public_key(nostr::SecretKey::generate()).hex();
  tx.exec_params("INSERT INTO tenants (pubkey) VALUES ($1)", owner);
  const std::string subdomain = "exp" + new_relay_id().substr(0, 8);
  const auto id = tx.exec_params1("INSERT INTO relays (tenant_pubkey, subdomain, plan, relay_pubkey, relay_secret_enc) "
                                  "VALUES ($1, $2, 'free', $3, '\\x00') RETURNING id::text",
                                  owner, subdomain, std::string(64, 'b'))[0]
                      .as<std::string>();
  for (const auto& [key, value] : rows)
    tx.exec_params("INSERT INTO relay_config (relay_id, key, value) VALUES ($1::uuid, $2, $3)", id, key, value);
  tx.commit();
  return id;
}

TEST_F(ExpirationTest, TheReadBoundIsTheCallersOrNone) {
  const std::int64_t expires = now_ + 60;
  const auto e = signed_event(alice_, 1, now_ - 10, {{"expiration", std::to_string(expires)}}, "bounded");
  write(store_, relay_, {e});
  const std::vector<nostr::Filter> every{filter("{}")};
  auto read = [&](std::optional<std::int64_t> up_to) {
    return marina::testing::run_async([&]() -> boost::asio::awaitable<std::vector<std::string>> {
      co_return co_await store_.query(relay_, every, up_to);
    });
  };
  auto counted = [&](std::optional<std::int64_t> up_to) {
    return marina::testing::run_async([&]() -> boost::asio::awaitable<std::uint64_t> {
      co_return co_await store_.count(relay_, every, up_to);
    });
  };
  EXPECT_EQ(read(expires - 1), std::vector<std::string>{e.raw});
  EXPECT_TRUE(read(expires).empty()) << "hidden at its expiration";
  EXPECT_EQ(read(std::nullopt), std::vector<std::string>{e.raw}) << "no bound: expiration ignored";
  EXPECT_EQ(counted(expires), 0u);
  EXPECT_EQ(counted(std::nullopt), 1u);
}

TEST_F(ExpirationTest, PurgeKeepsWhatARelaysConfigurationStillServes) {
  const std::string plain = relay_with_config({});
  const std::string graced = relay_with_config({{"nip40_expiration_filter", "false"},
                                                {"nip40_expiration_grace_period", "100"}});
  const std::string ignored = relay_with_config({{"nip40_expiration_enabled", "false"}});
  const std::string filtered_grace = relay_with_config({{"nip40_expiration_grace_period", "100"}});
  const std::int64_t expires = now_ + 60;
  std::map<std::string, nostr::Event> events;
  for (const auto& relay : {plain, graced, ignored, filtered_grace}) {
    events[relay] = signed_event(alice_, 1, now_ - 10, {{"expiration", std::to_string(expires)}}, "kept? " + relay);
    write(store_, relay, {events[relay]});
  }
  auto purge_all = [&](std::int64_t at) {
    while (marina::testing::run_async([&]() -> boost::asio::awaitable<std::size_t> {
      co_return co_await store_.purge_expired(at, 1000);
    }) > 0) {
    }
  };
  const std::vector<nostr::Filter> every{filter("{}")};
  auto stored = [&](const std::string& relay) {
    return marina::testing::run_async([&]() -> boost::asio::awaitable<std::vector<std::string>> {
      co_return co_await store_.query(relay, every, std::nullopt);
    });
  };
  purge_all(expires + 50);
  EXPECT_TRUE(stored(plain).empty()) << "the default: purged once expired";
  EXPECT_TRUE(stored(filtered_grace).empty()) << "with the filter on, a grace period keeps nothing";
  EXPECT_EQ(stored(graced), std::vector<std::string>{events[graced].raw}) << "filter off: kept through the grace";
  EXPECT_EQ(stored(ignored), std::vector<std::string>{events[ignored].raw});
  purge_all(expires + 100);
  EXPECT_TRUE(stored(graced).empty()) << "expired by the grace period: purged";
  EXPECT_EQ(stored(ignored), std::vector<std::string>{events[ignored].raw}) << "expiration disabled: never purged";
}

}  // namespace
}  // namespace marina::store::testing
