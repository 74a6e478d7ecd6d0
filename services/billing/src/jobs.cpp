#include "jobs.hpp"

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <string_view>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ledger.hpp"
#include "marina/asio/retry.hpp"
#include "marina/core/exception.hpp"
#include "marina/core/log.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/pg/pool.hpp"

namespace marina::billing {
namespace {

constexpr std::string_view kAccrueJob = "accrue";
constexpr std::string_view kCloseJob = "close";
constexpr std::array<std::string_view, 2> kJobs = {kAccrueJob, kCloseJob};
const std::vector<std::string> kStatuses = {"draft", "open", "paid", "void"};

void add(AccrualResult& total, const AccrualResult& r) {
  total.activities += r.activities;
  total.items += r.items;
  total.charged_msats += r.charged_msats;
  total.credited_msats += r.credited_msats;
  total.closed += r.closed;
}

}  // namespace

Jobs::Jobs(pg::Pool& db, metrics::Registry& registry, JobSettings settings, Clock clock)
    : db_(db),
      settings_(settings),
      clock_(std::move(clock)),
      runs_(registry.counter("marina_billing_job_runs_total", "Billing job runs, by job and outcome.",
                             {"job", "result"})),
      charged_(registry.counter("marina_billing_billed_msats_total", "Msats billed by the jobs, by item kind.", {"kind"})
                   .with({"charge"})),
      credited_(registry.counter("marina_billing_billed_msats_total", "Msats billed by the jobs, by item kind.", {"kind"})
                    .with({"credit"})),
      invoices_(registry.gauge("marina_billing_invoices", "Invoices by status.", {"status"})) {}

boost::asio::awaitable<void> Jobs::run() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    for (const std::string_view job : kJobs) {
      std::exception_ptr failure;
      try {
        AccrualResult r;
        if (job == kAccrueJob)
          r = co_await accrue();
        else
          r = co_await close_periods();
        if (r.items > 0 || r.closed > 0)
          log::info("billing job ran", {{"job", job}, {"activities", r.activities}, {"items", r.items},
                                        {"closed", r.closed}});
        runs_.with({job, "ok"}).inc();
      } catch (...) {
        failure = std::current_exception();
      }
      if (failure && coro::is_cancellation(failure)) std::rethrow_exception(failure);
      if (failure) {
        // Nothing is half done (one transaction per tenant): the next run retries.
        runs_.with({job, "failed"}).inc();
        log::warn("billing job failed", {{"job", job}, {"error", core::describe(failure)}});
      }
    }
    try {
      co_await refresh_invoice_gauges();
    } catch (const std::exception& e) {
      log::warn("counting invoices failed", {{"error", e.what()}});
    }
    timer.expires_after(settings_.interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

boost::asio::awaitable<AccrualResult> Jobs::advance(const std::string& tenant, std::int64_t now) {
  auto r = co_await db_.transaction([&](pqxx::work& tx) { return advance_tenant(tx, tenant, now); });
  count(r);
  co_return r;
}

boost::asio::awaitable<AccrualResult> Jobs::accrue() {
  const std::int64_t now = clock_();
  const std::string job(kAccrueJob);
  // The scan's own start (database time) becomes the mark once the scan has
  // been through every page (a page shorter than a batch is the last).
  std::optional<std::int64_t> mark;
  AccrualResult total;
  for (;;) {
    std::int64_t started = 0;
    const std::vector<std::string> tenants = co_await db_.transaction([&](pqxx::work& tx) {
      const auto scanned_to = ledger::job_scanned_to(tx, job);
      started = ledger::database_now(tx);
      return ledger::tenants_with_new_activity(tx, scanned_to, settings_.lookback_seconds, now, settings_.batch);
    });
    if (!mark) mark = started;
    for (const auto& tenant : tenants) add(total, co_await advance(tenant, now));
    if (static_cast<std::int64_t>(tenants.size()) < settings_.batch) break;
  }
  co_await db_.transaction([&](pqxx::work& tx) { ledger::record_job_run(tx, job, mark); });
  co_return total;
}

boost::asio::awaitable<AccrualResult> Jobs::close_periods() {
  const std::int64_t now = clock_();
  AccrualResult total;
  for (;;) {
    auto tenants = co_await db_.transaction(
        [&](pqxx::work& tx) { return ledger::tenants_with_ended_period(tx, now, settings_.batch); });
    for (const auto& tenant : tenants) add(total, co_await advance(tenant, now));
    if (static_cast<std::int64_t>(tenants.size()) < settings_.batch) break;
  }
  const std::string job(kCloseJob);
  co_await db_.transaction([&](pqxx::work& tx) { ledger::record_job_run(tx, job, std::nullopt); });
  co_return total;
}

boost::asio::awaitable<void> Jobs::refresh_invoice_gauges() {
  auto counts = co_await db_.transaction([](pqxx::work& tx) {
    std::map<std::string, double> out;
    for (const auto& row : tx.exec("SELECT status, count(*) FROM invoices GROUP BY status"))
      out[row[0].c_str()] = row[1].as<double>();
    return out;
  });
  for (const auto& status : kStatuses) invoices_.with({status}).set(counts[status]);
}

void Jobs::count(const AccrualResult& r) {
  charged_.inc(static_cast<double>(r.charged_msats));
  credited_.inc(static_cast<double>(r.credited_msats));
}

}  // namespace marina::billing
