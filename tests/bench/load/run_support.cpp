#include "run_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace marina::load {

namespace asio = boost::asio;

Deadline::Deadline(asio::io_context& io, std::chrono::seconds limit) : io_(io), timer_(io), last_resort_(io) {
  timer_.expires_after(limit);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) expire();
  });
}

void Deadline::expire() {
  expired_ = true;
  for (auto& hook : hooks_) hook();
  for (auto& c : clients_) c->abort();
  last_resort_.expires_after(std::chrono::seconds(2));
  last_resort_.async_wait([this](boost::system::error_code ec) {
    if (!ec) io_.stop();
  });
}

void Deadline::finish() {
  timer_.cancel();
  for (auto& c : clients_) c->abort();
}

asio::awaitable<void> WaitGroup::wait() {
  if (left_ == 0) co_return;
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> Signal::wait() {
  timer_.expires_at(Clock::time_point::max());
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> sleep_until(Clock::time_point t) {
  if (Clock::now() >= t) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, t);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<Connected> connect_all(std::size_t n, std::uint16_t port, const std::string& host,
                                       std::size_t parallel) {
  auto ex = co_await asio::this_coro::executor;
  Connected out;
  std::vector<std::shared_ptr<WsClient>> slots(n);
  std::size_t next = 0;
  WaitGroup group(ex);
  // `parallel` workers, each opening the next connection until none is left.
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < n) {
      const std::size_t i = next++;
      auto client = std::make_shared<WsClient>(ex);
      try {
        co_await client->connect(port, host);
        slots[i] = std::move(client);
      } catch (const std::exception& e) {
        if (out.failed++ == 0) out.first_error = e.what();
      }
    }
    group.done();
  };
  const std::size_t workers = std::min(parallel, n);
  group.add(workers);
  for (std::size_t w = 0; w < workers; ++w) asio::co_spawn(ex, worker(), asio::detached);
  co_await group.wait();
  for (auto& s : slots)
    if (s) out.clients.push_back(std::move(s));
  co_return out;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace marina::load
