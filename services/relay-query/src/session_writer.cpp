// The socket's writer: ONE coroutine sends the outbound queue in order; the
// queue's byte bound (RELAY_MAX_PENDING_BYTES) holds for replies, stored
// results (which wait for room) and live events (posted from the fan-out's
// thread, reserved before the post); a reader too slow for it is dropped.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>
#include <limits>

#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "session.hpp"
#include "unsent_limit.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> Session::write_loop(std::shared_ptr<Session>) {
  for (;;) {
    while (queue_.empty() && !closing_) {
      wake_writer_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_writer_.async_wait(use_tuple);
    }
    if (closing_) break;
    Outgoing message = std::move(queue_.front());
    queue_.pop_front();
    auto [ec, n] = co_await ws_.async_write(asio::buffer(*message.payload), use_tuple);
    pending_bytes_.fetch_sub(message.payload->size(), std::memory_order_relaxed);
    queue_drained_.cancel();
    if (ec) {
      // The reader sees the same failure and ends the session.
      log::debug("websocket write failed", {{"connection", id_}, {"error", ec.message()}});
      break;
    }
    if (message.stream_ms > 0) {
      ctx_.probe.live_event_sent();
      ctx_.probe.fanout_latency(static_cast<double>(core::unix_ms() - message.stream_ms) / 1000.0);
    }
  }
  release_queue();
}

bool Session::reserve(std::size_t n) {
  // Anything fits into an empty queue, so one message larger than the bound
  // still goes out; past that, the bound holds.
  const std::size_t before = pending_bytes_.fetch_add(n, std::memory_order_relaxed);
  if (before == 0 || before + n <= max_pending_bytes_) return true;
  pending_bytes_.fetch_sub(n, std::memory_order_relaxed);
  return false;
}

bool Session::send(std::string message) { return send(std::make_shared<const std::string>(std::move(message))); }

bool Session::send(std::shared_ptr<const std::string> message, std::int64_t stream_ms) {
  if (closing_) return false;
  const std::size_t n = message->size();
  if (!reserve(n)) {
    drop_slow_reader();
    return false;
  }
  queue_.push_back(Outgoing{std::move(message), stream_ms});
  wake_writer_.cancel();
  return true;
}

void Session::deliver_live(const std::shared_ptr<LiveSubscription>& sub, std::shared_ptr<const std::string> payload,
                           std::int64_t stream_ms) {
  if (closing_.load(std::memory_order_relaxed)) return;
  const std::size_t n = payload->size();
  // Reserved here, before the post, so a burst of events cannot pile up in
  // the strand's queue unaccounted.
  if (!reserve(n)) {
    if (!drop_posted_.exchange(true)) asio::post(strand_, [self = shared_from_this()] { self->drop_slow_reader(); });
    return;
  }
  asio::post(strand_, [self = shared_from_this(), sub, payload = std::move(payload), stream_ms, n]() mutable {
    self->enqueue_live(*sub, std::move(payload), stream_ms, n);
  });
}

bool Session::hold_buffered(std::size_t bytes) {
  const std::size_t before = buffered_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  if (before + bytes <= max_pending_bytes_) return true;
  buffered_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
  return false;
}

void Session::release_buffered(std::size_t bytes) { buffered_bytes_.fetch_sub(bytes, std::memory_order_relaxed); }

void Session::enqueue_live(LiveSubscription& sub, std::shared_ptr<const std::string> payload, std::int64_t stream_ms,
                           std::size_t reserved) {
  // A CLOSE or a replacing REQ handled since the fan-out matched: not for this client any more.
  if (closing_ || !sub.active) {
    pending_bytes_.fetch_sub(reserved, std::memory_order_relaxed);
    return;
  }
  queue_.push_back(Outgoing{std::move(payload), stream_ms});
  wake_writer_.cancel();
}

asio::awaitable<void> Session::wait_for_room() {
  while (!closing_ && pending_bytes_.load(std::memory_order_relaxed) > max_pending_bytes_ / 2) {
    queue_drained_.expires_at(asio::steady_timer::time_point::max());
    co_await queue_drained_.async_wait(use_tuple);
  }
}

void Session::release_queue() {
  std::size_t bytes = 0;
  for (const auto& m : queue_) bytes += m.payload->size();
  pending_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
  std::deque<Outgoing>().swap(queue_);
}

void Session::drop_slow_reader() {
  if (closing_) return;
  // The frame in progress and the close frame may now take the room kept in
  // the send buffer: both reach the kernel at once, and the client reads them
  // whenever it reads again, even after the socket is closed (bounded by the
  // close's handshake timeout here, by the kernel's orphan limits there).
  boost::system::error_code ec;
  boost::beast::get_lowest_layer(ws_).socket().set_option(UnsentLimit(std::numeric_limits<int>::max()), ec);
  log::info("dropping a slow reader", {{"connection", id_}, {"relay", relay_id_}, {"remote", client_ip_},
                                       {"pending_bytes", pending_bytes_.load()}});
  begin_close(CloseCause::slow_reader, websocket::close_code::policy_error,
              "too slow: more than " + std::to_string(max_pending_bytes_) + " bytes waiting to be sent");
}

}  // namespace marina::relay_query
