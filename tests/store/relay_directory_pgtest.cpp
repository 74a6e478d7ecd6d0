// RelayDirectory: the relays table as the relay services see it.
#include <gtest/gtest.h>

#include <thread>

#include "marina/store/relay_directory.hpp"
#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::store::testing {
namespace {

using namespace std::chrono_literals;
using marina::testing::run_async;

class RelayDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exec("INSERT INTO tenants (pubkey) VALUES ('" + owner_ + "')");
  }
  void exec(const std::string& sql) {
    pqxx::connection conn(url_);
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
  }
  std::string create_relay(const std::string& subdomain, const std::string& status = "active") {
    pqxx::connection conn(url_);
    pqxx::work tx(conn);
    const auto id = tx.exec_params1(
                          "INSERT INTO relays (tenant_pubkey, subdomain, name, description, plan, status, "
                          "status_reason, relay_pubkey, relay_secret_enc) "
                          "VALUES ($1, $2, 'Name', 'About', 'pro', $3, 'reason', $4, '\\x00') RETURNING id::text",
                          owner_, subdomain, status, std::string(64, 'b'))[0]
                        .as<std::string>();
    tx.commit();
    return id;
  }
  std::shared_ptr<const Relay> by_subdomain(RelayDirectory& d, const std::string& s) {
    return run_async([&]() -> boost::asio::awaitable<std::shared_ptr<const Relay>> { co_return co_await d.by_subdomain(s); });
  }
  std::shared_ptr<const Relay> by_id(RelayDirectory& d, const std::string& id) {
    return run_async([&]() -> boost::asio::awaitable<std::shared_ptr<const Relay>> { co_return co_await d.by_id(id); });
  }
  void load_all(RelayDirectory& d) {
    run_async([&]() -> boost::asio::awaitable<void> { co_await d.load_all(); });
  }
  void refresh(RelayDirectory& d, const std::string& id) {
    run_async([&]() -> boost::asio::awaitable<void> { co_await d.refresh(id); });
  }

  std::string url_ = fresh_migrated_database();
  pg::Pool pool_{pool_options(url_)};
  std::string owner_ = std::string(64, 'a');
};

TEST_F(RelayDirectoryTest, LoadAllServesEveryRelayFromMemory) {
  const std::string id = create_relay("alpha");
  create_relay("beta", "suspended");
  RelayDirectory directory(pool_);
  load_all(directory);
  EXPECT_EQ(directory.size(), 2u);

  const auto alpha = by_subdomain(directory, "alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->id, id);
  EXPECT_EQ(alpha->subdomain, "alpha");
  EXPECT_EQ(alpha->tenant_pubkey, owner_);
  EXPECT_EQ(alpha->name, "Name");
  EXPECT_EQ(alpha->description, "About");
  EXPECT_EQ(alpha->plan, "pro");
  EXPECT_EQ(alpha->status, RelayStatus::active);
  EXPECT_EQ(alpha->relay_pubkey, std::string(64, 'b'));
  EXPECT_GT(alpha->created_at, 1700000000);
  EXPECT_EQ(by_subdomain(directory, "beta")->status, RelayStatus::suspended);
  EXPECT_EQ(by_id(directory, id), alpha);

  // Served from memory: the row is gone but the cache still answers.
  exec("DELETE FROM relays WHERE id = '" + id + "'");
  EXPECT_EQ(by_subdomain(directory, "alpha"), alpha);
}

TEST_F(RelayDirectoryTest, RefreshPicksUpChangesAndDropsDeletedRelays) {
  const std::string id = create_relay("gamma");
  RelayDirectory directory(pool_);
  load_all(directory);

  exec("UPDATE relays SET subdomain = 'delta', status = 'suspended', status_reason = 'unpaid' WHERE id = '" + id + "'");
  refresh(directory, id);
  EXPECT_EQ(by_subdomain(directory, "gamma"), nullptr);
  const auto delta = by_subdomain(directory, "delta");
  ASSERT_NE(delta, nullptr);
  EXPECT_EQ(delta->status, RelayStatus::suspended);
  EXPECT_EQ(delta->status_reason, "unpaid");

  exec("DELETE FROM relays WHERE id = '" + id + "'");
  refresh(directory, id);
  EXPECT_EQ(directory.size(), 0u);
  EXPECT_EQ(by_id(directory, id), nullptr);
}

TEST_F(RelayDirectoryTest, UnknownSubdomainIsLookedUpAndAMissIsRemembered) {
  RelayDirectory directory(pool_, 300ms);
  EXPECT_EQ(by_subdomain(directory, "late"), nullptr);
  const std::string id = create_relay("late");
  // Still a miss: unknown hosts do not reach the database for a while ...
  EXPECT_EQ(by_subdomain(directory, "late"), nullptr);
  std::this_thread::sleep_for(350ms);
  // ... and after that they do.
  const auto late = by_subdomain(directory, "late");
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->id, id);
  EXPECT_EQ(directory.size(), 1u);

  // A relay created after start is found by id too.
  const std::string other = create_relay("other");
  EXPECT_EQ(by_id(directory, other)->subdomain, "other");
  EXPECT_EQ(by_id(directory, "not-a-uuid"), nullptr);
  EXPECT_EQ(by_subdomain(directory, "Not A Label!"), nullptr);
}

TEST_F(RelayDirectoryTest, TheRelaysTableRefusesBadSubdomainsAndStatuses) {
  EXPECT_THROW(create_relay("UPPER"), pqxx::check_violation);
  EXPECT_THROW(create_relay("-dash"), pqxx::check_violation);
  EXPECT_THROW(create_relay("a.b"), pqxx::check_violation);
  EXPECT_THROW(create_relay(std::string(64, 'a')), pqxx::check_violation);
  EXPECT_THROW(create_relay("fine", "deleted"), pqxx::check_violation);
  create_relay("fine");
  EXPECT_THROW(create_relay("fine"), pqxx::unique_violation);
}

}  // namespace
}  // namespace marina::store::testing
