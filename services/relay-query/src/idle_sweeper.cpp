#include "idle_sweeper.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connection_registry.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

std::chrono::milliseconds idle_sweep_interval(std::chrono::milliseconds idle_timeout) {
  return std::clamp<std::chrono::milliseconds>(idle_timeout / 4, std::chrono::seconds(1), std::chrono::seconds(30));
}

asio::awaitable<void> sweep_idle_connections(ConnectionRegistry& connections, std::chrono::milliseconds every) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(every);
    co_await timer.async_wait(asio::use_awaitable);  // throws when cancelled at shutdown
    const auto now = std::chrono::steady_clock::now();
    for (const auto& session : connections.all()) session->post_idle_check(now);
  }
}

}  // namespace marina::relay_query
