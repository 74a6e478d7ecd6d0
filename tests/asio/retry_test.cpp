// coro::retry: attempts until one succeeds, waits the backoff between them,
// asks before each retry, never retries a cancellation.
#include "marina/asio/retry.hpp"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <vector>

#include "marina/testing/run.hpp"

namespace marina::coro {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using Clock = std::chrono::steady_clock;

struct Transient : std::runtime_error {
  Transient() : std::runtime_error("backend down") {}
};

TEST(Retry, RetriesUntilTheAttemptSucceedsWaitingTheBackoff) {
  core::Backoff backoff(20ms, 40ms);
  int attempts = 0;
  std::vector<std::string> asked;
  const auto started = Clock::now();
  const int value = testing::run_async([&]() -> awaitable<int> {
    auto attempt = [&]() -> awaitable<int> {
      if (++attempts < 4) throw Transient();
      co_return 42;
    };
    auto retry_after = [&](const std::exception_ptr& e) {
      try {
        std::rethrow_exception(e);
      } catch (const Transient& t) {
        asked.push_back(t.what());
      }
      return true;
    };
    co_return co_await retry(backoff, attempt, retry_after);
  });
  EXPECT_EQ(value, 42);
  EXPECT_EQ(attempts, 4);
  EXPECT_EQ(asked.size(), 3u) << "asked once per failure";
  EXPECT_GE(Clock::now() - started, 20ms + 40ms + 40ms) << "waited 20, 40, then the cap";
  EXPECT_EQ(backoff.next(), 20ms) << "a success resets the backoff";
}

TEST(Retry, AFailureNotToRetryComesOutAsItIs) {
  core::Backoff backoff(1ms, 1ms);
  int attempts = 0;
  EXPECT_THROW(testing::run_async([&]() -> awaitable<void> {
                 auto attempt = [&]() -> awaitable<void> {
                   ++attempts;
                   throw std::invalid_argument("bad data");
                   co_return;
                 };
                 co_await retry(backoff, attempt, [](const std::exception_ptr&) { return false; });
               }),
               std::invalid_argument);
  EXPECT_EQ(attempts, 1);
}

TEST(Retry, ACancellationIsNeverRetried) {
  core::Backoff backoff(1ms, 1ms);
  int asked = 0;
  try {
    testing::run_async([&]() -> awaitable<void> {
      auto attempt = []() -> awaitable<void> {
        throw boost::system::system_error(boost::asio::error::operation_aborted);
        co_return;
      };
      co_await retry(backoff, attempt, [&](const std::exception_ptr&) {
        ++asked;
        return true;
      });
    });
    ADD_FAILURE() << "the cancellation did not come out";
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), boost::asio::error::operation_aborted);
  }
  EXPECT_EQ(asked, 0);
}

TEST(Retry, CancellingTheCoroutineEndsTheWait) {
  boost::asio::io_context io;
  boost::asio::cancellation_signal cancel;
  core::Backoff backoff(10s, 10s);
  int attempts = 0;
  std::exception_ptr outcome;
  bool done = false;
  auto task = [&]() -> awaitable<void> {
    auto attempt = [&]() -> awaitable<void> {
      ++attempts;
      throw Transient();
      co_return;
    };
    co_await retry(backoff, attempt, [](const std::exception_ptr&) { return true; });
  };
  boost::asio::co_spawn(io, task(), boost::asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e) {
                          outcome = e;
                          done = true;
                        }));
  io.run_for(50ms);  // now in the 10 s wait
  const auto cancelled_at = Clock::now();
  cancel.emit(boost::asio::cancellation_type::terminal);
  io.run_for(2s);
  ASSERT_TRUE(done);
  EXPECT_LT(Clock::now() - cancelled_at, 2s);
  EXPECT_EQ(attempts, 1);
  EXPECT_TRUE(is_cancellation(outcome));
}

}  // namespace
}  // namespace marina::coro
