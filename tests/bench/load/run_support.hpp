#pragma once
// What every mode needs around its coroutines: a bound on the timed part,
// waiting for many coroutines, and opening many connections.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ws_client.hpp"

namespace marina::load {

using Clock = std::chrono::steady_clock;

// Ends the run after `limit`: every tracked connection is aborted (so its
// coroutines end), the on_expiry hooks run, and if anything still holds the
// io_context two seconds later, it is stopped.
class Deadline {
 public:
  Deadline(boost::asio::io_context& io, std::chrono::seconds limit);
  void track(std::shared_ptr<WsClient> client) { clients_.push_back(std::move(client)); }
  void on_expiry(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }
  bool expired() const { return expired_; }
  // The work is done: close every connection and drop the deadline.
  void finish();

 private:
  void expire();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer last_resort_;
  std::vector<std::shared_ptr<WsClient>> clients_;
  std::vector<std::function<void()>> hooks_;
  bool expired_ = false;
};

// A count of coroutines still running and a way to wait for zero.
class WaitGroup {
 public:
  explicit WaitGroup(boost::asio::any_io_executor ex) : timer_(std::move(ex), Clock::time_point::max()) {}
  void add(std::size_t n = 1) { left_ += n; }
  void done() {
    if (left_ > 0 && --left_ == 0) timer_.cancel();
  }
  boost::asio::awaitable<void> wait();

 private:
  boost::asio::steady_timer timer_;
  std::size_t left_ = 0;
};

// A wake-up for one waiting coroutine (a sender waiting for room in its window).
class Signal {
 public:
  explicit Signal(boost::asio::any_io_executor ex) : timer_(std::move(ex), Clock::time_point::max()) {}
  void notify() { timer_.cancel(); }
  boost::asio::awaitable<void> wait();

 private:
  boost::asio::steady_timer timer_;
};

boost::asio::awaitable<void> sleep_until(Clock::time_point t);

// Opens `n` connections, `parallel` handshakes at a time. Failed ones are
// counted, not returned.
struct Connected {
  std::vector<std::shared_ptr<WsClient>> clients;
  std::size_t failed = 0;
  std::string first_error;
};
boost::asio::awaitable<Connected> connect_all(std::size_t n, std::uint16_t port, const std::string& host,
                                              std::size_t parallel = 64);

double seconds_between(Clock::time_point a, Clock::time_point b);

}  // namespace marina::load
