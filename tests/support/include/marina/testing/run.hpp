#pragma once
// Runs one coroutine to completion on a fresh io_context in the calling
// thread, for tests. A coroutine that has not finished after `timeout` is a
// failure (std::runtime_error), so a hang fails the test instead of stalling it.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace marina::testing {

template <typename MakeAwaitable>
auto run_async(MakeAwaitable make, std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  using Awaitable = std::invoke_result_t<MakeAwaitable&>;
  using T = typename Awaitable::value_type;
  using Stored = std::conditional_t<std::is_void_v<T>, bool, T>;

  boost::asio::io_context io;
  std::optional<Stored> result;
  std::exception_ptr failure;
  bool done = false;
  auto body = [&]() -> boost::asio::awaitable<void> {
    try {
      if constexpr (std::is_void_v<T>) {
        co_await make();
        result.emplace(true);
      } else {
        result.emplace(co_await make());
      }
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  };
  boost::asio::co_spawn(io, body(), boost::asio::detached);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    // Nothing left to run yet the coroutine is not done: something it awaits
    // did not register as work; poll rather than spin.
    if (io.run_one_until(deadline) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!done) throw std::runtime_error("coroutine did not finish within the test's timeout");
  // Let what the coroutine left behind (a client's close, say) run its course.
  for (int rounds = 0; rounds < 100; ++rounds) {
    if (io.stopped()) io.restart();
    if (io.poll() == 0) break;
  }
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace marina::testing
