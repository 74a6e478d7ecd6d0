// RelayDirectorySync against real PostgreSQL and Redis: it loads every relay,
// re-reads a relay after each fact naming it (a configuration fact alike),
// ignores facts it cannot read, and loads everything again periodically and
// after a gap in following marina:platform (facts published meanwhile lost).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <functional>
#include <pqxx/pqxx>

#include "marina/asio/retry.hpp"
#include "marina/platform/relay_directory_sync.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/stream_follower.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"
#include "marina/testing/co_assert.hpp"
#include "marina/testing/redis_server.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"
#include "store_fixture.hpp"

namespace marina::platform {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using Clock = std::chrono::steady_clock;

// What the sync told its listener, in order.
struct Recorder : RelayDirectoryListener {
  std::vector<std::pair<std::string, std::shared_ptr<const store::Relay>>> refreshed;
  int reloads = 0;
  int resumes = 0;

  awaitable<void> relay_refreshed(const std::string& relay_id, std::shared_ptr<const store::Relay> relay) override {
    refreshed.emplace_back(relay_id, std::move(relay));
    co_return;
  }
  awaitable<void> directory_reloaded() override {
    ++reloads;
    co_return;
  }
  void platform_stream_resumed() override { ++resumes; }
};

// Polls `done` every 10 ms for up to 10 s; false if it never held. (A
// template, so a lambda passed inside co_await stays trivially destructible:
// see libs/redis/README.md on GCC 12.)
template <class Done>
awaitable<bool> eventually(Done done) {
  for (const auto started = Clock::now(); Clock::now() - started < 10s;) {
    if (done()) co_return true;
    co_await coro::sleep_for(10ms);
  }
  co_return done();
}

class RelayDirectorySyncTest : public ::testing::Test {
 protected:
  void SetUp() override { sql("INSERT INTO tenants (pubkey) VALUES ('" + owner_ + "')"); }

  void sql(const std::string& statement) {
    pqxx::connection conn(db_url_);
    pqxx::nontransaction(conn).exec(statement);
  }
  std::string add_relay(const std::string& subdomain) {
    pqxx::connection conn(db_url_);
    pqxx::nontransaction tx(conn);
    return tx
        .exec_params1("INSERT INTO relays (tenant_pubkey, subdomain, name, plan, relay_pubkey, relay_secret_enc) "
                      "VALUES ($1, $2, 'Relay', 'pro', $3, '\\x00') RETURNING id::text",
                      owner_, subdomain, std::string(64, 'c'))[0]
        .as<std::string>();
  }

  // Runs a sync of `directory` on `stream` while `body` runs, then stops it.
  void with_sync(const std::string& redis_url, const std::string& stream, RelayDirectorySyncOptions options,
                 const std::function<awaitable<void>(redis::Client& writer)>& body) {
    testing::run_async([&]() -> awaitable<void> {
      auto ex = co_await boost::asio::this_coro::executor;
      redis::Options redis_options = redis::parse_url(redis_url);
      redis_options.reconnect_min = 20ms;
      redis_options.reconnect_max = 200ms;
      redis::Client reader(ex, redis_options);
      redis::Client writer(ex, redis_options);
      redis::StreamFollower follower(reader, stream,
                                     redis::StreamFollowerOptions{.block = 200ms, .retry_min = 20ms, .retry_max = 100ms});
      RelayDirectorySync sync(follower, directory_, options, &recorder_);
      bool running = true;
      auto run = [&]() -> awaitable<void> {
        co_await sync.run();
        running = false;
      };
      boost::asio::co_spawn(ex, run(), boost::asio::detached);
      co_await body(writer);
      follower.stop();
      reader.close();
      EXPECT_TRUE(co_await eventually([&] { return !running; })) << "run() ends once its follower is stopped";
      writer.close();
    });
  }

  // XADD of `fact` to `stream`, retried while Redis comes back.
  static awaitable<void> publish(redis::Client& writer, const std::string& stream, const streams::PlatformFact& fact) {
    const redis::Fields fields = fact.encode();
    for (const auto started = Clock::now(); Clock::now() - started < 10s;) {
      try {
        co_await writer.xadd(stream, fields);
        co_return;
      } catch (const redis::Unavailable&) {
      }
      co_await coro::sleep_for(20ms);
    }
    throw std::runtime_error("Redis did not take the fact within 10 s");
  }

  streams::PlatformFact fact(std::string_view type, const std::string& relay_id) const {
    return streams::PlatformFact{std::string(type), relay_id, owner_, "{}"};
  }

  // The relay as the directory holds it: from memory once loaded (a stale
  // entry stays stale until something re-reads it).
  awaitable<store::RelayStatus> status_of(const std::string& id) {
    auto relay = co_await directory_.by_id(id);
    co_return relay ? relay->status : store::RelayStatus::inactive;
  }

  std::string db_url_ = store::testing::fresh_migrated_database();
  pg::Pool pool_{store::testing::pool_options(db_url_)};
  store::RelayDirectory directory_{pool_};
  Recorder recorder_;
  std::string owner_ = std::string(64, 'a');
};


TEST_F(RelayDirectorySyncTest, LoadsEveryRelayThenRereadsEachRelayAFactNames) {
  const std::string alpha = add_relay("alpha");
  const std::string beta = add_relay("beta");
  const std::string stream = testing::unique_name("platform");
  with_sync(testing::shared_redis().url(), stream, {}, [&](redis::Client& writer) -> awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return directory_.size() == 2 && recorder_.reloads == 1; }));

    // A lifecycle fact: the relay is re-read, and the listener sees it as it is now.
    sql("UPDATE relays SET status = 'suspended', status_reason = 'overdue' WHERE id = '" + alpha + "'");
    const auto suspended = fact(streams::kFactRelaySuspended, alpha);
    co_await publish(writer, stream, suspended);
    const bool suspension_applied = co_await eventually([&] { return recorder_.refreshed.size() == 1; });
    MARINA_CO_ASSERT_TRUE(suspension_applied);
    EXPECT_EQ(co_await status_of(alpha), store::RelayStatus::suspended);
    EXPECT_EQ(recorder_.refreshed.at(0).first, alpha);
    MARINA_CO_ASSERT_TRUE(recorder_.refreshed.at(0).second != nullptr);
    EXPECT_EQ(recorder_.refreshed.at(0).second->status_reason, "overdue");

    // A configuration fact takes the same path: the whole relay is re-read.
    sql("UPDATE relays SET name = 'Renamed', description = 'New words' WHERE id = '" + beta + "'");
    const auto config_changed = fact(streams::kFactRelayConfigChanged, beta);
    co_await publish(writer, stream, config_changed);
    EXPECT_TRUE(co_await eventually([&] { return recorder_.refreshed.size() == 2; }));
    const std::shared_ptr<const store::Relay> renamed = co_await directory_.by_id(beta);
    MARINA_CO_ASSERT_TRUE(renamed != nullptr);
    EXPECT_EQ(renamed->name, "Renamed");
    EXPECT_EQ(renamed->description, "New words");

    // A fact about a tenant reloads every relay (each carries its owner's
    // standing); an entry that is no fact is skipped.
    sql("UPDATE tenants SET status = 'suspended', status_reason = 'abuse' WHERE pubkey = '" + owner_ + "'");
    const auto tenant_updated = fact(streams::kFactTenantUpdated, "");
    co_await publish(writer, stream, tenant_updated);
    const bool tenant_applied = co_await eventually([&] { return recorder_.reloads == 2; });
    MARINA_CO_ASSERT_TRUE(tenant_applied);
    const std::shared_ptr<const store::Relay> owned = co_await directory_.by_id(alpha);
    MARINA_CO_ASSERT_TRUE(owned != nullptr);
    EXPECT_TRUE(owned->tenant_suspended);
    EXPECT_EQ(owned->tenant_status_reason, "abuse");
    const redis::Fields garbage{{"nonsense", "1"}};
    co_await writer.xadd(stream, garbage);
    // A relay that no longer exists leaves the directory; the listener gets nullptr.
    sql("DELETE FROM relays WHERE id = '" + beta + "'");
    const auto deactivated = fact(streams::kFactRelayDeactivated, beta);
    co_await publish(writer, stream, deactivated);
    const bool deletion_applied = co_await eventually([&] { return recorder_.refreshed.size() == 3; });
    MARINA_CO_ASSERT_TRUE(deletion_applied);
    EXPECT_EQ(recorder_.refreshed.at(2).first, beta);
    EXPECT_FALSE(recorder_.refreshed.at(2).second);
    EXPECT_EQ(directory_.size(), 1u);
    EXPECT_EQ(recorder_.reloads, 2) << "relay facts re-read one relay; only the tenant fact reloaded";
  });
}

TEST_F(RelayDirectorySyncTest, ReloadsEverythingAfterAGapInFollowing) {
  testing::RedisServer redis;
  const std::string alpha = add_relay("alpha");
  with_sync(redis.url(), std::string(streams::kPlatformStream), {}, [&](redis::Client&) -> awaitable<void> {
    EXPECT_TRUE(co_await eventually([&] { return directory_.size() == 1 && recorder_.reloads == 1; }));
    EXPECT_EQ(co_await status_of(alpha), store::RelayStatus::active);
    redis.stop();
    co_await coro::sleep_for(300ms);  // the follower's read fails: a gap begins
    // Changes whose facts are lost with the gap.
    sql("UPDATE relays SET status = 'suspended' WHERE id = '" + alpha + "'");
    add_relay("beta");
    redis.start();
    EXPECT_TRUE(co_await eventually([&] { return recorder_.resumes == 1 && recorder_.reloads == 2; }));
    EXPECT_EQ(directory_.size(), 2u);
    EXPECT_EQ(co_await status_of(alpha), store::RelayStatus::suspended) << "PostgreSQL read again, not the cache";
    EXPECT_TRUE(recorder_.refreshed.empty());
  });
}

TEST_F(RelayDirectorySyncTest, ReloadsEverythingEveryReconcilePeriod) {
  const std::string alpha = add_relay("alpha");
  const std::string stream = testing::unique_name("platform");
  with_sync(testing::shared_redis().url(), stream, RelayDirectorySyncOptions{.reconcile_every = 300ms},
            [&](redis::Client&) -> awaitable<void> {
              EXPECT_TRUE(co_await eventually([&] { return recorder_.reloads == 1; }));
              sql("UPDATE relays SET status = 'inactive' WHERE id = '" + alpha + "'");  // no fact at all
              EXPECT_TRUE(co_await eventually([&] { return recorder_.reloads >= 2; }));
              EXPECT_EQ(co_await status_of(alpha), store::RelayStatus::inactive);
              EXPECT_EQ(recorder_.resumes, 0);
            });
}

}  // namespace
}  // namespace marina::platform
