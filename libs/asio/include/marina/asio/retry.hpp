#pragma once
// Retrying coroutine work with a backoff: one loop instead of one per caller.
//
//   co_await coro::retry(backoff, attempt, should_retry);
//
// runs `attempt()` (a callable returning an awaitable) until it returns, and
// returns what it returned. After each failure `should_retry(exception_ptr)`
// decides: true waits `backoff.next()` and tries again (the callback is where
// the caller logs and counts the retry), false rethrows the exception. A
// success resets the backoff. Cancellation (the service stopping) is never
// retried: it is rethrown without asking, and the wait throws it too, which
// is how a retry loop ends.
//
// The namespace is marina::coro, not marina::asio: inside namespace marina a
// nested `asio` would take the place of boost::asio in every `asio::` lookup.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <exception>
#include <type_traits>

#include "marina/core/backoff.hpp"

namespace marina::coro {

// Sleeps on the calling coroutine's executor; throws when it is cancelled.
inline boost::asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

// The work ended because its coroutine was cancelled (operation_aborted).
inline bool is_cancellation(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& e) {
    return e.code() == boost::asio::error::operation_aborted;
  } catch (...) {
    return false;
  }
}

template <class Attempt, class ShouldRetry>
auto retry(core::Backoff& backoff, Attempt attempt, ShouldRetry should_retry) -> decltype(attempt()) {
  using Result = typename decltype(attempt())::value_type;
  for (;;) {
    std::exception_ptr failure;
    try {
      if constexpr (std::is_void_v<Result>) {
        co_await attempt();
        backoff.reset();
        co_return;
      } else {
        Result result = co_await attempt();
        backoff.reset();
        co_return result;
      }
    } catch (...) {
      failure = std::current_exception();
    }
    if (is_cancellation(failure) || !should_retry(failure)) std::rethrow_exception(failure);
    co_await sleep_for(backoff.next());
  }
}

}  // namespace marina::coro
