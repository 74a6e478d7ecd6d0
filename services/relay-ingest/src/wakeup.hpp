#pragma once
// Wakes one coroutine waiting on a condition another coroutine changes, both
// on the same strand. The waiter re-checks its condition in a loop around
// wait(), and nothing can run between its check and its wait, so a
// notify() is never lost where it matters.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace marina::relay_ingest {

class Wakeup {
 public:
  explicit Wakeup(boost::asio::any_io_executor ex) : timer_(std::move(ex)) {}
  void notify() { timer_.cancel(); }
  boost::asio::awaitable<void> wait() {
    timer_.expires_at(boost::asio::steady_timer::time_point::max());
    // Ends with operation_aborted on notify() (not an error here), and throws
    // when the waiter itself is cancelled (the service stopping).
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace marina::relay_ingest
