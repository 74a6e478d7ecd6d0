// The hosting rules against a real, migrated PostgreSQL: what one relay
// creation writes (relay, sealed key, activity, fact; no configuration rows:
// every key at its default), tenant scoping, plan limits (rows of `plans`)
// and subdomain uniqueness under concurrency,
// suspension, status changes with their facts and activity snapshots, and
// stable pagination.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "marina/http/error.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/keys.hpp"
#include "sealed_secret.hpp"
#include "tenants_fixture.hpp"

namespace marina::tenants {
namespace {

namespace asio = boost::asio;

class HostingTest : public TenantsPgTest {};

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

  EXPECT_EQ(query("SELECT count(*) FROM relay_config WHERE relay_id = '" + r.id + "'")[0][0].as<int>(), 0)
      << "every configuration key starts at its default";
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
  const Tenant suspended =
      run([&]() { return hosting_->set_tenant_status(Actor{admin, true}, alice, TenantStatus{"suspended", "spam"}); });
  EXPECT_EQ(suspended.status_reason, "spam");
  EXPECT_EQ(run([&]() { return hosting_->get_relay(r.id, alice); }).id, r.id);
  EXPECT_EQ(problem_code([&] { create(alice, unique("more")); }), "tenant-suspended");
  repo::RelayChanges rename;
  rename.name = "x";
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->update_relay(Actor{alice, false}, r.id, alice, rename); }); }),
            "tenant-suspended");
  EXPECT_EQ(run([&]() { return hosting_->update_relay(Actor{admin, true}, r.id, std::nullopt, rename); }).name, "x")
      << "an admin still can";
  EXPECT_EQ(run([&]() {
              return hosting_->set_tenant_status(Actor{admin, true}, alice, TenantStatus{"suspended", "spam, twice"});
            }).status_reason,
            "spam, twice")
      << "a new reason alone is a change";
  EXPECT_EQ(run([&]() { return hosting_->set_tenant_status(Actor{admin, true}, alice, TenantStatus{"active", ""}); })
                .status_reason,
            "")
      << "reactivation clears the reason";
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

TEST_F(HostingTest, PlansAreTheSeededRowsAndAnUnknownOneIsRefused) {
  auto plans = query("SELECT id, name, max_relays FROM plans WHERE id IN ('free', 'pro', 'business') ORDER BY max_relays");
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(std::string(plans[2][0].c_str()) + "/" + plans[2][1].c_str() + "/" + plans[2][2].c_str(),
            "business/Business/100")
      << "what PLAN_MAX_RELAYS defaulted to (free and pro are changed by this fixture)";
  const auto alice = new_pubkey();
  EXPECT_EQ(problem_code([&] { create(alice, unique("gold"), "gold"); }), "plan-unknown");
  const Relay r = create(alice, unique("plain"));
  repo::RelayChanges to_gold;
  to_gold.plan = "gold";
  EXPECT_EQ(problem_code([&] { run([&]() { return hosting_->update_relay(Actor{alice, false}, r.id, alice, to_gold); }); }),
            "plan-unknown");
  query("INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions, "
        "max_events_per_minute, max_whitelist_rules) VALUES ('gold', 'Gold', 1, 1, 1, 100, 1, 0) "
        "ON CONFLICT (id) DO NOTHING");
  EXPECT_EQ(run([&]() { return hosting_->update_relay(Actor{alice, false}, r.id, alice, to_gold); }).plan, "gold")
      << "a plan added to the table exists at once";
  EXPECT_EQ(problem_code([&] { create(alice, unique("gold2"), "gold"); }), "plan-limit-reached");
}

TEST_F(HostingTest, PagesAreStableAndComplete) {
  const auto alice = new_pubkey();
  set_max_relays("free", 100);
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
