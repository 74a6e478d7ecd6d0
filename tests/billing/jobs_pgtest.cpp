// The billing jobs as replicas run them, against a real PostgreSQL: the
// accrual finds tenants with new activity by itself and records its scan
// mark; two replicas running both jobs at once bill and close everything
// once; the metrics count runs, msats and invoices.
#include <gtest/gtest.h>

#include <thread>

#include "billing_fixture.hpp"
#include "jobs.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/pg/pool.hpp"
#include "marina/testing/run.hpp"
#include "store_fixture.hpp"

namespace marina::billing::testing {
namespace {

class JobsTest : public BillingPgTest {
 protected:
  std::unique_ptr<pg::Pool> pool() { return std::make_unique<pg::Pool>(::marina::store::testing::pool_options(*url_, 4)); }
};

TEST_F(JobsTest, TwoReplicasBillAndCloseEachTenantOnce) {
  std::vector<std::string> tenants;
  for (int i = 0; i < 6; ++i) {
    const auto tenant = new_tenant();
    const auto relay = new_relay(tenant);
    activity(tenant, relay, "created", i % 2 ? "pro" : "business", "active", utc(2026, 1, 10 + i));
    tenants.push_back(tenant);
  }
  const std::int64_t now = utc(2026, 3, 20);  // two boundaries behind for every tenant
  JobSettings settings;
  settings.batch = 2;  // several pages of tenants
  std::vector<AccrualResult> accrued(2), closed(2);
  std::vector<std::thread> replicas;
  std::vector<std::unique_ptr<metrics::Registry>> registries;
  for (int i = 0; i < 2; ++i) registries.push_back(std::make_unique<metrics::Registry>());
  for (int i = 0; i < 2; ++i)
    replicas.emplace_back([&, i] {
      auto db = pool();
      Jobs jobs(*db, *registries[i], settings, [now] { return now; });
      accrued[i] = marina::testing::run_async([&] { return jobs.accrue(); });
      closed[i] = marina::testing::run_async([&] { return jobs.close_periods(); });
    });
  for (auto& r : replicas) r.join();
  for (const auto& tenant : tenants) {
    const auto inv = invoices(tenant);
    ASSERT_EQ(inv.size(), 3u) << "January and February closed, March accruing";
    EXPECT_EQ(inv[0].status, "open");
    EXPECT_EQ(inv[1].status, "open");
    EXPECT_EQ(inv[2].status, "draft");
    const std::int64_t price = inv[0].amount_due_msats;
    EXPECT_TRUE(price == 10'000'000 || price == 50'000'000) << price;
    EXPECT_EQ(inv[1].amount_due_msats, price);
    EXPECT_EQ(net(inv[2].id), price);
  }
  const std::int64_t charged = accrued[0].charged_msats + accrued[1].charged_msats + closed[0].charged_msats +
                               closed[1].charged_msats;
  EXPECT_EQ(charged, 3 * (3 * 10'000'000) + 3 * (3 * 50'000'000)) << "every charge once, across both replicas";
  const double counted = [&] {
    double sum = 0;
    for (auto& r : registries) sum += r->counter("marina_billing_billed_msats_total", "Msats billed by the jobs, by item kind.", {"kind"}).with({"charge"}).value();
    return sum;
  }();
  EXPECT_EQ(counted, static_cast<double>(charged));
  EXPECT_FALSE(query("SELECT scanned_to FROM billing_jobs WHERE job = 'accrue'")[0][0].is_null())
      << "a complete scan leaves its mark";
}

TEST_F(JobsTest, TheAccrualPicksUpNewActivityOnItsNextRun) {
  const auto tenant = new_tenant();
  const auto relay = new_relay(tenant);
  auto db = pool();
  metrics::Registry registry;
  // Real time here: the scan mark is the database's clock.
  const std::int64_t now = query("SELECT extract(epoch FROM now())::bigint")[0][0].as<std::int64_t>() + 5;
  Jobs jobs(*db, registry, JobSettings{}, [now] { return now; });
  marina::testing::run_async([&] { return jobs.accrue(); });
  activity(tenant, relay, "created", "pro", "active", now - 2);
  const AccrualResult r = marina::testing::run_async([&] { return jobs.accrue(); });
  EXPECT_GE(r.items, 1);
  const auto inv = invoices(tenant);
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv[0].status, "draft");
  EXPECT_EQ(net(inv[0].id), 10'000'000);
}

}  // namespace
}  // namespace marina::billing::testing
