// Billing from history against a real, migrated PostgreSQL: relay_activity
// rows at chosen times turned into items with exact msat amounts (create,
// upgrade, downgrade, deactivate, reactivate across period boundaries), the
// same result whether billed step by step or all at once, each activity
// billed once however often the accrual runs, concurrent runs closing a
// period once, a run that dies before its commit leaving nothing, a late
// commit billed from where billing stands, credits
// carried forward, and free tenants never billed.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "billing_fixture.hpp"

namespace marina::billing::testing {
namespace {

class AccrualTest : public BillingPgTest {};

// pro 10,000 sats (10,000,000 msats), business 50,000 sats a month (0010).
constexpr std::int64_t kPro = 10'000'000;
constexpr std::int64_t kBusiness = 50'000'000;

// The history of one relay over two periods, March (31 days) and April (30):
//   1 Mar 00:00  created on pro            charge 10,000,000 (the whole period)
//  11 Mar 00:00  pro -> business (21 days left): 50M*21/31 - 10M*21/31
//                = 33,870,967 - 6,774,193  charge 27,096,774
//  21 Mar 12:00  business -> pro (10.5 days left): 16,935,483 - 3,387,096
//                                          credit 13,548,387
//   1 Apr        closes: due 10,000,000 + 27,096,774 - 13,548,387 = 23,548,387
//                April's period charge     charge 10,000,000
//  16 Apr 00:00  deactivated (15 of 30 days left)   credit 5,000,000
//  25 Apr 00:00  reactivated on pro (6 days left)   charge 2,000,000
//   1 May        closes: due 7,000,000; May's period charge 10,000,000
struct History {
  std::string tenant, relay;
  std::vector<std::int64_t> times;
};

class HistoryTest : public BillingPgTest {
 protected:
  History history() {
    History h;
    h.tenant = new_tenant();
    h.relay = new_relay(h.tenant);
    auto step = [&](const char* action, const char* plan, const char* status, std::int64_t at) {
      activity(h.tenant, h.relay, action, plan, status, at);
      h.times.push_back(at);
    };
    step("created", "pro", "active", utc(2026, 3, 1));
    step("updated", "business", "active", utc(2026, 3, 11));
    step("updated", "pro", "active", utc(2026, 3, 21, 12));
    step("deactivated", "pro", "inactive", utc(2026, 4, 16));
    step("reactivated", "pro", "active", utc(2026, 4, 25));
    return h;
  }

  void expect_billed(const History& h) {
    const auto inv = invoices(h.tenant);
    ASSERT_EQ(inv.size(), 3u);
    EXPECT_EQ(inv[0].period_start, utc(2026, 3, 1));
    EXPECT_EQ(inv[0].period_end, utc(2026, 4, 1));
    EXPECT_EQ(inv[0].status, "open");
    EXPECT_EQ(inv[0].amount_due_msats, 23'548'387);
    EXPECT_EQ(items(inv[0].id), (std::vector<ItemRow>{{"charge", "activity", kPro},
                                                      {"charge", "activity", 27'096'774},
                                                      {"credit", "activity", 13'548'387}}));
    EXPECT_EQ(inv[1].period_start, utc(2026, 4, 1));
    EXPECT_EQ(inv[1].period_end, utc(2026, 5, 1));
    EXPECT_EQ(inv[1].status, "open");
    EXPECT_EQ(inv[1].amount_due_msats, 7'000'000);
    EXPECT_EQ(items(inv[1].id), (std::vector<ItemRow>{{"charge", "period", kPro},
                                                      {"credit", "activity", 5'000'000},
                                                      {"charge", "activity", 2'000'000}}));
    EXPECT_EQ(inv[2].status, "draft");
    EXPECT_EQ(inv[2].period_start, utc(2026, 5, 1));
    EXPECT_EQ(inv[2].period_end, utc(2026, 6, 1));
    EXPECT_EQ(items(inv[2].id), (std::vector<ItemRow>{{"charge", "period", kPro}}));
  }
};

TEST_F(HistoryTest, CreateUpgradeDowngradeDeactivateReactivateAcrossPeriodsBilledExactly) {
  const History h = history();
  const AccrualResult r = advance(h.tenant, utc(2026, 5, 2));
  EXPECT_EQ(r.activities, 5);
  EXPECT_EQ(r.closed, 2);
  EXPECT_EQ(r.items, 7);
  expect_billed(h);
  EXPECT_EQ(query("SELECT extract(epoch FROM anchor_at)::bigint FROM billing_accounts WHERE tenant_pubkey = '" +
                  h.tenant + "'")[0][0]
                .as<std::int64_t>(),
            utc(2026, 3, 1))
      << "the anchor is the first paid activity";
}

TEST_F(HistoryTest, BilledStepByStepOrAllAtOnceTheSame) {
  const History h = history();
  // The accrual runs an hour after each step, then after the last boundary.
  for (const std::int64_t at : h.times) advance(h.tenant, at + 3600);
  advance(h.tenant, utc(2026, 5, 2));
  expect_billed(h);
}

TEST_F(HistoryTest, RunningTheAccrualAgainBillsNothingMore) {
  const History h = history();
  advance(h.tenant, utc(2026, 5, 2));
  const AccrualResult again = advance(h.tenant, utc(2026, 5, 2));
  EXPECT_EQ(again.activities, 0);
  EXPECT_EQ(again.items, 0);
  EXPECT_EQ(again.closed, 0);
  const AccrualResult later = advance(h.tenant, utc(2026, 5, 20));
  EXPECT_EQ(later.items, 0) << "no boundary between 2 and 20 May";
  expect_billed(h);
}

TEST_F(HistoryTest, TwoConcurrentRunsCloseAPeriodOnce) {
  const History h = history();
  advance(h.tenant, utc(2026, 3, 30));
  std::vector<AccrualResult> results(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] { results[i] = advance(h.tenant, utc(2026, 5, 2)); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(results[0].closed + results[1].closed, 2) << "March and April closed once, by one of the two";
  EXPECT_TRUE(results[0].closed == 0 || results[1].closed == 0);
  expect_billed(h);
}

TEST_F(HistoryTest, ARunThatDiesBeforeItsCommitLeavesNothingAndTheNextBillsOnce) {
  const History h = history();
  {
    pqxx::connection conn(*url_);
    pqxx::work tx(conn);
    const AccrualResult r = advance_tenant(tx, h.tenant, utc(2026, 5, 2));
    EXPECT_EQ(r.items, 7);
    // The process dies here: the transaction is never committed.
  }
  EXPECT_TRUE(invoices(h.tenant).empty());
  EXPECT_EQ(query("SELECT count(*) FROM billing_relays WHERE relay_id = '" + h.relay + "'")[0][0].as<int>(), 0);
  advance(h.tenant, utc(2026, 5, 2));
  expect_billed(h);
}

TEST_F(AccrualTest, FreeRelaysAreNeverBilledAndOpenNoAccount) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  activity(tenant, relay, "created", "free", "active", utc(2026, 1, 5));
  activity(tenant, relay, "config_updated", "free", "active", utc(2026, 1, 6));
  activity(tenant, relay, "deactivated", "free", "inactive", utc(2026, 1, 7));
  const AccrualResult r = advance(tenant, utc(2026, 4, 1));
  EXPECT_EQ(r.activities, 3) << "consumed all the same";
  EXPECT_EQ(r.items, 0);
  EXPECT_TRUE(invoices(tenant).empty());
  EXPECT_EQ(query("SELECT count(*) FROM billing_accounts WHERE tenant_pubkey = '" + tenant + "'")[0][0].as<int>(), 0);
}

TEST_F(AccrualTest, TheAnchorIsTheFirstPaidActivityAndShortMonthsClampIt) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  activity(tenant, relay, "created", "free", "active", utc(2027, 1, 2));
  // The free relay moves to business on 31 January at 10:00: the anchor.
  activity(tenant, relay, "updated", "business", "active", utc(2027, 1, 31, 10));
  advance(tenant, utc(2027, 4, 1));
  const auto inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 3u);
  EXPECT_EQ(inv[0].period_start, utc(2027, 1, 31, 10));
  EXPECT_EQ(inv[0].period_end, utc(2027, 2, 28, 10)) << "February has no 31st";
  EXPECT_EQ(inv[1].period_end, utc(2027, 3, 31, 10)) << "back to the 31st";
  EXPECT_EQ(items(inv[0].id), (std::vector<ItemRow>{{"charge", "activity", kBusiness}}));
  EXPECT_EQ(inv[0].amount_due_msats, kBusiness);
  EXPECT_EQ(inv[1].amount_due_msats, kBusiness) << "a whole month is the whole price, 28 days or 31";
}

TEST_F(AccrualTest, ARelayCreatedAndDeactivatedInTheSameSecondNetsZero) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  const auto other = new_relay(tenant);
  activity(tenant, relay, "created", "pro", "active", utc(2026, 6, 1));
  activity(tenant, other, "created", "pro", "active", utc(2026, 6, 10, 7, 13, 1));
  activity(tenant, other, "deactivated", "pro", "inactive", utc(2026, 6, 10, 7, 13, 1));
  advance(tenant, utc(2026, 6, 20));
  const auto inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 1u);
  // 30 days; 20 d 16 h 46 min 59 s = 1,788,419 s left: floor(10M * 1788419 / 2592000) = 6,899,764.
  EXPECT_EQ(items(inv[0].id), (std::vector<ItemRow>{{"charge", "activity", kPro},
                                                    {"charge", "activity", 6'899'764},
                                                    {"credit", "activity", 6'899'764}}));
  EXPECT_EQ(net(inv[0].id), kPro);
}

TEST_F(AccrualTest, AnActivityCommittedLateIsBilledFromWhereBillingStands) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  activity(tenant, relay, "created", "pro", "active", utc(2026, 6, 1));
  advance(tenant, utc(2026, 7, 1, 0, 0, 10));  // June closed, July charged
  // A deactivation stamped 30 June that committed only now: June is closed,
  // so it counts from 1 July 00:00:10 (31 days, 10 s gone).
  activity(tenant, relay, "deactivated", "pro", "inactive", utc(2026, 6, 30));
  advance(tenant, utc(2026, 7, 2));
  const auto inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 2u);
  EXPECT_EQ(inv[0].amount_due_msats, kPro) << "the closed period is left alone";
  // floor(10M * (2678400 - 10) / 2678400) = 9,999,962
  EXPECT_EQ(items(inv[1].id), (std::vector<ItemRow>{{"charge", "period", kPro}, {"credit", "activity", 9'999'962}}));
}

TEST_F(AccrualTest, ACreditAboveTheChargesIsCarriedForward) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  activity(tenant, relay, "created", "pro", "active", utc(2026, 6, 1));
  advance(tenant, utc(2026, 6, 2));
  // A credit beyond the month's charges (as a goodwill credit would be).
  const std::string draft = invoices(tenant)[0].id;
  query("INSERT INTO invoice_items (invoice_id, kind, source, amount_msats, description, billed_at) "
        "VALUES ('" + draft + "', 'credit', 'carry', 25000000, 'goodwill', to_timestamp(" +
        std::to_string(utc(2026, 6, 2)) + "))");
  advance(tenant, utc(2026, 7, 2));
  auto inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 2u);
  EXPECT_EQ(inv[0].status, "paid") << "nothing due";
  EXPECT_EQ(inv[0].amount_due_msats, 0);
  EXPECT_EQ(inv[0].carried_forward_msats, 15'000'000);
  EXPECT_EQ(items(inv[1].id), (std::vector<ItemRow>{{"credit", "carry", 15'000'000}, {"charge", "period", kPro}}));
  advance(tenant, utc(2026, 8, 2));
  inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 3u);
  EXPECT_EQ(inv[1].status, "paid");
  EXPECT_EQ(inv[1].carried_forward_msats, 5'000'000) << "the rest carries on";
  EXPECT_EQ(inv[2].status, "draft");
  EXPECT_EQ(net(inv[2].id), kPro - 5'000'000);
}

TEST_F(AccrualTest, APriceChangeAppliesFromTheNextChargeAndCreditsWhatWasCharged) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  query("INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions, "
        "max_events_per_minute, max_whitelist_rules, price_msats) VALUES ('t-" + tenant.substr(0, 8) +
        "', 'T', 1, 1, 1, 100, 1, 0, 3000000)");
  const std::string plan = "t-" + tenant.substr(0, 8);
  activity(tenant, relay, "created", plan, "active", utc(2026, 9, 1));
  advance(tenant, utc(2026, 9, 2));
  query("UPDATE plans SET price_msats = 6000000 WHERE id = '" + plan + "'");
  // Deactivated halfway through September (30 days): credits half of the 3,000,000 charged.
  activity(tenant, relay, "deactivated", plan, "inactive", utc(2026, 9, 16));
  activity(tenant, relay, "reactivated", plan, "active", utc(2026, 9, 16));
  advance(tenant, utc(2026, 10, 2));
  const auto inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 2u);
  EXPECT_EQ(items(inv[0].id), (std::vector<ItemRow>{{"charge", "activity", 3'000'000},
                                                    {"credit", "activity", 1'500'000},
                                                    {"charge", "activity", 3'000'000}}));
  EXPECT_EQ(items(inv[1].id), (std::vector<ItemRow>{{"charge", "period", 6'000'000}}));
}

}  // namespace
}  // namespace marina::billing::testing
