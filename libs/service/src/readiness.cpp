#include "readiness.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "marina/core/log.hpp"

namespace marina::service::detail {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

enum class Outcome { passed, failed, threw };

// Folds an exception into the outcome: awaitable_operators' `||` waits for the
// first operand that completes *without* an exception, so a check that throws
// would otherwise be reported as a timeout, and only after the full timeout.
asio::awaitable<Outcome> guarded(const ReadinessEntry& entry) {
  try {
    co_return (co_await entry.check()) ? Outcome::passed : Outcome::failed;
  } catch (const std::exception& e) {
    // The message may name hosts or users: logged, not served.
    log::warn("readiness check threw", {{"check", entry.name}, {"error", e.what()}});
  } catch (...) {
    log::warn("readiness check threw", {{"check", entry.name}});
  }
  co_return Outcome::threw;
}

asio::awaitable<CheckResult> run_one(const ReadinessEntry& entry) {
  CheckResult result{entry.name, false, {}, 0};
  auto start = Clock::now();
  asio::steady_timer timeout(co_await asio::this_coro::executor, entry.timeout);
  // Whichever finishes first cancels the other.
  auto outcome = co_await (guarded(entry) || timeout.async_wait(asio::use_awaitable));
  if (outcome.index() == 1) {
    result.error = "timed out";
  } else {
    switch (std::get<0>(outcome)) {
      case Outcome::passed: result.ok = true; break;
      case Outcome::failed: result.error = "failed"; break;
      case Outcome::threw: result.error = "error"; break;
    }
  }
  result.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  co_return result;
}

}  // namespace

asio::awaitable<std::vector<CheckResult>> run_readiness_checks(const std::vector<ReadinessEntry>& checks) {
  struct Pending {
    explicit Pending(asio::any_io_executor ex, std::size_t n) : results(n), left(n), all_done(ex, Clock::time_point::max()) {}
    std::vector<CheckResult> results;
    std::size_t left;
    asio::steady_timer all_done;
  };
  auto ex = co_await asio::this_coro::executor;
  // Shared with the checks: they may outlive this coroutine if it is cancelled.
  auto pending = std::make_shared<Pending>(ex, checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    // Completions run on `ex`, the caller's strand, so `pending` needs no lock.
    asio::co_spawn(ex, run_one(checks[i]), [pending, i, name = checks[i].name](std::exception_ptr e, CheckResult r) {
      pending->results[i] = e ? CheckResult{name, false, "error", 0} : std::move(r);
      if (--pending->left == 0) pending->all_done.cancel();
    });
  }
  if (pending->left > 0) co_await pending->all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return pending->results;
}

}  // namespace marina::service::detail
