#include "expiry_purger.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "failure.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"

namespace marina::relay_ingest {

ExpiryPurger::ExpiryPurger(store::EventStore& store, const IngestSettings& settings, IngestProbe& probe)
    : store_(store), settings_(settings), probe_(probe) {}

boost::asio::awaitable<void> ExpiryPurger::run() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    timer.expires_after(settings_.purge_interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
    std::exception_ptr failure;
    try {
      const std::size_t purged = co_await purge_once();
      if (purged > 0) log::info("purged expired events", {{"events", purged}});
    } catch (...) {
      failure = std::current_exception();
    }
    // A failed run is retried at the next interval; it must not stop the service.
    if (failure && is_cancellation(failure)) std::rethrow_exception(failure);
    if (failure) log::warn("purging expired events failed", {{"error", describe(failure)}});
  }
}

boost::asio::awaitable<std::size_t> ExpiryPurger::purge_once() {
  std::size_t total = 0;
  for (int i = 0; i < kMaxStatements; ++i) {
    const std::size_t n = co_await store_.purge_expired(core::unix_seconds(), settings_.purge_batch);
    total += n;
    probe_.purged(n);
    if (n < settings_.purge_batch) break;
  }
  co_return total;
}

}  // namespace marina::relay_ingest
