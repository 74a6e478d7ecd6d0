// The hosting rules against a real, migrated PostgreSQL: what one relay
// creation writes (relay, sealed key, default configuration, activity, fact),
// tenant scoping, plan limits and subdomain uniqueness under concurrency,
// suspension, status changes with their facts and activity snapshots, and
// stable pagination.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>

#include "hosting.hpp"
#include "marina/http/error.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/pg/migrate.hpp"
#include "marina/pg/pool.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"
#include "sealed_secret.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;

struct RecordedFact {
  std::string type, relay_id, tenant_pubkey;
};

class RecordingSink final : public FactSink {
 public:
  asio::awaitable<void> publish(std::string_view type, std::string relay_id, std::string tenant_pubkey,
                                std::string) override {
    std::lock_guard lock(mutex_);
    facts.push_back({std::string(type), std::move(relay_id), std::move(tenant_pubkey)});
    co_return;
  }
  std::vector<std::string> types_for(const std::string& relay_id) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto& f : facts)
      if (f.relay_id == relay_id) out.push_back(f.type);
    return out;
  }
  std::vector<RecordedFact> facts;

 private:
  std::mutex mutex_;
};

std::string migrated_database() {
  const std::string url = marina::testing::shared_pg().fresh_database();
  const char* source = std::getenv("MARINA_SOURCE_DIR");
  if (source == nullptr) throw std::runtime_error("MARINA_SOURCE_DIR is not set (run through ctest)");
  pqxx::connection conn(url);
  pg::migrate(conn, pg::load_migrations(std::filesystem::path(source) / "migrations"));
  return url;
}

std::string new_pubkey() { return nostr::hex_encode(nostr::public_key(nostr::SecretKey::generate()).span()); }

std::string problem_code(const std::function<void()>& f) {
  try {
    f();
    return "ok";
  } catch (const http::Error& e) {
    return e.code();
  }
}

class HostingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { url_ = new std::string(migrated_database()); }

  HostingTest() {
    pg::PoolOptions o;
    o.url = *url_;
    o.size = 8;
    pool_ = std::make_unique<pg::Pool>(o);
    settings_.reserved_subdomains = {"api", "admin", "www"};
    settings_.plan_max_relays = {{"free", 2}, {"pro", 1}};
    settings_.master_key = std::string(32, '\x11');
    hosting_ = std::make_unique<Hosting>(*pool_, sink_, settings_, registry_);
  }

  template <typename F>
  auto run(F f) {
    return marina::testing::run_async(std::move(f));
  }

  Relay create(const std::string& owner, const std::string& subdomain, std::optional<std::string> plan = {}) {
    return run([&]() { return hosting_->create_relay(Actor{owner, false}, CreateRelay{subdomain, "", "", plan}); });
  }

  std::string unique(const std::string& prefix) { return prefix + "-" + new_pubkey().substr(0, 10); }

  pqxx::result query(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::work tx(conn);
    auto r = tx.exec(sql);
    tx.commit();
    return r;
  }

  static std::string* url_;
  std::unique_ptr<pg::Pool> pool_;
  RecordingSink sink_;
  Settings settings_;
  metrics::Registry registry_;
  std::unique_ptr<Hosting> hosting_;
};

std::string* HostingTest::url_ = nullptr;

TEST_F(HostingTest, CreatingARelayWritesItsKeyConfigurationActivityAndFact) {
  const auto alice = new_pubkey();
  const auto sub = unique("alpha");
  const Relay r = create(alice, sub);
  EXPECT_EQ(r.subdomain, sub);
  EXPECT_EQ(r.tenant_pubkey, alice);
  EXPECT_EQ(r.plan, "free");
  EXPECT_EQ(r.status, "active");

  auto row = query("SELECT encode(relay_secret_enc, 'hex') FROM relays WHERE id = '" + r.id + "'");
  const auto sealed = nostr::hex_decode(row[0][0].c_str());
  ASSERT_TRUE(sealed.has_value());
  auto opened = open_sealed(settings_.master_key, std::string(sealed->begin(), sealed->end()));
  ASSERT_TRUE(opened.has_value()) << "the secret opens with the master key";
  auto secret = nostr::SecretKey::from_bytes(
      std::span(reinterpret_cast<const std::uint8_t*>(opened->data()), opened->size()));
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(nostr::hex_encode(nostr::public_key(*secret).span()), r.relay_pubkey) << "and is the relay's key";

  EXPECT_GE(query("SELECT count(*) FROM relay_config WHERE relay_id = '" + r.id + "'")[0][0].as<int>(), 5);
  auto activity = query("SELECT action, plan, status, actor_pubkey, actor_role FROM relay_activity WHERE relay_id = '" +
                        r.id + "'");
  ASSERT_EQ(activity.size(), 1u);
  EXPECT_EQ(std::string(activity[0][0].c_str()), "created");
  EXPECT_EQ(std::string(activity[0][3].c_str()), alice);
  EXPECT_EQ(std::string(activity[0][4].c_str()), "tenant");
  EXPECT_EQ(sink_.types_for(r.id), std::vector<std::string>{"relay.created"});
}

TEST_F(HostingTest, AnotherTenantsRelayIsNotFound) {
  const auto alice = new_pubkey(), bob = new_pubkey();
  const Relay r = create(alice, unique("mine"));
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->get_relay(r.id, bob); }); }), "relay-not-found");
  EXPECT_EQ(problem_code([&] {
              run([&]() { return hosting_->set_relay_status(Actor{bob, false}, r.id, bob, "inactive"); });
            }),
            "relay-not-found");
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->get_relay("not-a-uuid", alice); }); }), "relay-not-found");
  EXPECT_EQ(run([&]() { return hosting_->get_relay(r.id, alice); }).id, r.id);
  EXPECT_EQ(run([&]() { return hosting_->get_relay(r.id, std::nullopt); }).id, r.id) << "admin scope";
  EXPECT_TRUE(run([&]() { return hosting_->list_relays(bob, PageRequest{}); }).items.empty());
}

TEST_F(HostingTest, ConcurrentCreatorsOfOneSubdomainHaveExactlyOneWinner) {
  const auto sub = unique("race");
  std::vector<std::string> outcomes = run([&]() -> asio::awaitable<std::vector<std::string>> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::string> results(8);
    int done = 0;
    for (int i = 0; i < 8; ++i) {
      asio::co_spawn(
          ex,
          [&, i]() -> asio::awaitable<void> {
            try {
              // Named, not temporaries: GCC 12 destroys aggregate temporaries in co_await twice.
              Actor actor{new_pubkey(), false};
              CreateRelay request{sub, "", "", std::nullopt};
              co_await hosting_->create_relay(actor, request);
              results[i] = "ok";
            } catch (const http::Error& e) {
              results[i] = e.code();
            }
            ++done;
          },
          asio::detached);
    }
    asio::steady_timer timer(ex);
    while (done < 8) {
      timer.expires_after(std::chrono::milliseconds(2));
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return results;
  });
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "ok"), 1);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "subdomain-taken"), 7);
  EXPECT_EQ(query("SELECT count(*) FROM relays WHERE subdomain = '" + sub + "'")[0][0].as<int>(), 1);
}

TEST_F(HostingTest, PlanLimitHoldsUnderConcurrentCreationsByOneTenant) {
  const auto alice = new_pubkey();
  std::vector<std::string> outcomes = run([&]() -> asio::awaitable<std::vector<std::string>> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::string> results(6);
    int done = 0;
    for (int i = 0; i < 6; ++i) {
      asio::co_spawn(
          ex,
          [&, i]() -> asio::awaitable<void> {
            try {
              Actor actor{alice, false};
              CreateRelay request{unique("lim"), "", "", std::nullopt};
              co_await hosting_->create_relay(actor, request);
              results[i] = "ok";
            } catch (const http::Error& e) {
              results[i] = e.code();
            }
            ++done;
          },
          asio::detached);
    }
    asio::steady_timer timer(ex);
    while (done < 6) {
      timer.expires_after(std::chrono::milliseconds(2));
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return results;
  });
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "ok"), 2) << "free allows 2";
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "plan-limit-reached"), 4);
}

TEST_F(HostingTest, SuspendedTenantReadsButCannotWrite) {
  const auto alice = new_pubkey(), admin = new_pubkey();
  const Relay r = create(alice, unique("susp"));
  run([&]() { return hosting_->set_tenant_status(Actor{admin, true}, alice, "suspended"); });
  EXPECT_EQ(run([&]() { return hosting_->get_relay(r.id, alice); }).id, r.id);
  EXPECT_EQ(problem_code([&] { create(alice, unique("more")); }), "tenant-suspended");
  repo::RelayChanges rename;
  rename.name = "x";
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->update_relay(Actor{alice, false}, r.id, alice, rename); }); }),
            "tenant-suspended");
  EXPECT_EQ(run([&]() { return hosting_->update_relay(Actor{admin, true}, r.id, std::nullopt, rename); }).name, "x")
      << "an admin still can";
  run([&]() { return hosting_->set_tenant_status(Actor{admin, true}, alice, "active"); });
  EXPECT_EQ(problem_code([&] { create(alice, unique("more")); }), "ok");
  auto page = run([&]() { return hosting_->activity(r.id, alice, PageRequest{}); });
  std::vector<std::string> got;
  for (auto& a : page.items) got.push_back(a.action + "/" + a.actor_role);
  EXPECT_EQ(got, (std::vector<std::string>{"created/tenant", "tenant_suspended/admin", "updated/admin",
                                           "tenant_reactivated/admin"}))
      << "the tenant's suspension is in each of its relays' history";
}

TEST_F(HostingTest, StatusChangesRecordSnapshotsAndPublishTheirFacts) {
  const auto alice = new_pubkey(), admin = new_pubkey();
  const Relay r = create(alice, unique("life"));
  repo::RelayChanges to_pro;
  to_pro.plan = "pro";
  run([&]() { return hosting_->update_relay(Actor{alice, false}, r.id, alice, to_pro); });
  run([&]() { return hosting_->set_relay_status(Actor{alice, false}, r.id, alice, "inactive"); });
  run([&]() { return hosting_->set_relay_status(Actor{alice, false}, r.id, alice, "active"); });
  run([&]() { return hosting_->set_relay_status(Actor{admin, true}, r.id, std::nullopt, "suspended"); });
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->set_relay_status(Actor{alice, false}, r.id, alice, "active"); }); }),
            "relay-suspended");
  auto page = run([&]() { return hosting_->activity(r.id, alice, PageRequest{}); });
  std::vector<std::string> got;
  for (auto& a : page.items) got.push_back(a.action + "/" + a.plan + "/" + a.status + "/" + a.actor_role);
  EXPECT_EQ(got, (std::vector<std::string>{"created/free/active/tenant", "updated/pro/active/tenant",
                                           "deactivated/pro/inactive/tenant", "reactivated/pro/active/tenant",
                                           "suspended/pro/suspended/admin"}));
  EXPECT_EQ(sink_.types_for(r.id), (std::vector<std::string>{"relay.created", "relay.updated", "relay.deactivated",
                                                             "relay.reactivated", "relay.suspended"}));
}

TEST_F(HostingTest, ReactivationRespectsThePlanLimit) {
  const auto alice = new_pubkey();
  const Relay a = create(alice, unique("p1"), "pro");
  run([&]() { return hosting_->set_relay_status(Actor{alice, false}, a.id, alice, "inactive"); });
  create(alice, unique("p2"), "pro");
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->set_relay_status(Actor{alice, false}, a.id, alice, "active"); }); }),
            "plan-limit-reached");
}

TEST_F(HostingTest, PagesAreStableAndComplete) {
  const auto alice = new_pubkey();
  settings_.plan_max_relays["free"] = 100;
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) created.insert(create(alice, unique("pg")).id);
  std::vector<std::string> seen;
  PageRequest page;
  page.limit = 3;
  for (int guard = 0; guard < 10; ++guard) {
    auto p = run([&]() { return hosting_->list_relays(alice, page); });
    for (auto& r : p.items) seen.push_back(r.id);
    if (!p.next_cursor) break;
    page.cursor = p.next_cursor;
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
  page = PageRequest{};
  page.status = "inactive";
  EXPECT_TRUE(run([&]() { return hosting_->list_relays(alice, page); }).items.empty());
  page.cursor = "12.not-a-uuid";
  page.status.reset();
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->list_relays(alice, page); }); }), "invalid-cursor");
}

}  // namespace
}  // namespace marina::tenants
