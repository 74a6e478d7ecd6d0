// A client connection's lifecycle: handshake, the reader, the writer and the
// outbound queue, closing.
#include "marina/relay_query/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <limits>
#include <netinet/tcp.h>

#include "marina/core/log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/core/clock.hpp"
#include "marina/relay_query/live_hub.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// A read buffer that grew for a large message is given back past this size,
// so an idle connection holds little memory.
constexpr std::size_t kKeptReadBufferBytes = 16 * 1024;
// How much of an oversized message is read (and dropped) at a time.
constexpr std::size_t kDiscardChunkBytes = 16 * 1024;
// Messages up to this many times RELAY_MAX_MESSAGE_BYTES are read and
// dropped with a NOTICE; larger ones are refused at their frame header.
constexpr std::size_t kRefusedMessageFactor = 4;
// Outgoing frames carry at most this much payload.
constexpr std::size_t kFrameBytes = 16 * 1024;
// TCP_NOTSENT_LOWAT: bytes written but not yet sent that the kernel holds
// before a write waits. Data the client has not acknowledged is not counted,
// so throughput is the network's; what it bounds is the backlog in front of
// a reader that stopped reading.
constexpr int kUnsentBytes = 128 * 1024;
using UnsentLimit = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_NOTSENT_LOWAT>;

}  // namespace

Session::Session(SessionContext& context, std::shared_ptr<const store::Relay> relay, std::string client_ip,
                 std::shared_ptr<IpSlot> slot, beast::tcp_stream stream)
    : ctx_(context),
      relay_id_(relay->id),
      client_ip_(std::move(client_ip)),
      slot_(std::move(slot)),
      id_(context.connections.next_id()),
      max_pending_bytes_(context.settings.relay.limits.max_pending_bytes),
      ws_(std::move(stream)),
      strand_(ws_.get_executor()),
      wake_writer_(strand_),
      queue_drained_(strand_),
      ok_timer_(strand_),
      last_activity_(Clock::now()) {}

// Nothing here may touch the service's shared parts: a session can outlive
// them when the io_context is destroyed with its coroutines suspended.
Session::~Session() = default;

asio::awaitable<void> Session::serve(SessionContext& context, std::shared_ptr<const store::Relay> relay,
                                     std::string client_ip, std::shared_ptr<IpSlot> slot, http::Upgraded upgraded) {
  auto session = std::make_shared<Session>(context, std::move(relay), std::move(client_ip), std::move(slot),
                                           std::move(upgraded.stream));
  co_await session->run(std::move(upgraded.request));
}

asio::awaitable<void> Session::run(beast::http::request<beast::http::string_body> request) {
  const QuerySettings& s = ctx_.settings;
  // The websocket stream keeps its own timers; the tcp_stream's must be off
  // or they would cut a quiet but healthy subscriber.
  beast::get_lowest_layer(ws_).expires_never();
  // Replies are small messages written one by one (EVENTs then EOSE, an OK):
  // Nagle's algorithm would hold them back until the client's delayed ACK (~40 ms).
  boost::system::error_code nodelay_ec;
  beast::get_lowest_layer(ws_).socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ec);
  // Little waits unsent in the kernel, so the send buffer keeps room for the
  // close frame of a reader dropped for being slow (drop_slow_reader).
  beast::get_lowest_layer(ws_).socket().set_option(UnsentLimit(kUnsentBytes), nodelay_ec);
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = s.handshake_timeout;
  timeouts.idle_timeout = s.ping_interval * 2;  // a ping goes out after half of it
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "marina-relay-query"); }));
  // The message bound is enforced by read_loop (a NOTICE, not a failed
  // connection) for messages up to kRefusedMessageFactor times it; a frame
  // header announcing more is refused by Beast at that header, with close
  // 1009, instead of waiting for a payload that may never come.
  ws_.read_message_max(kRefusedMessageFactor * s.relay.limits.max_message_bytes);
  // Written straight from the shared payload (unmasked: no per-connection
  // copy), messages over kFrameBytes as several frames: Beast lets a close
  // frame through between two, so a dropped reader gets it after the frame in
  // progress rather than after a whole large message.
  ws_.auto_fragment(true);
  ws_.write_buffer_bytes(kFrameBytes);
  ws_.text(true);

  auto [ec] = co_await ws_.async_accept(request, use_tuple);
  request = {};  // its headers are not needed for the rest of the connection
  if (ec) {
    ctx_.probe.connection(ConnectionResult::handshake_failed);
    log::debug("websocket handshake failed", {{"remote", client_ip_}, {"error", ec.message()}});
    co_return;
  }
  accepted_ = true;
  ctx_.probe.connection(ConnectionResult::accepted);
  ctx_.connections.add(id_, weak_from_this());
  asio::co_spawn(strand_, write_loop(shared_from_this()), asio::detached);
  try {
    co_await read_loop();
  } catch (const std::exception& e) {
    // Cancellation at the end of a shutdown, or a bug in a handler: either
    // way this connection ends here, cleanly.
    log::debug("session ended by an exception", {{"connection", id_}, {"error", e.what()}});
    if (!closing_) close_cause_ = CloseCause::error;
  }
  finish();
}

asio::awaitable<void> Session::read_loop() {
  const std::size_t max = ctx_.settings.relay.limits.max_message_bytes;
  beast::flat_buffer buffer;
  // A message over the bound is read and thrown away piece by piece, then
  // answered with a NOTICE: memory stays bounded and the connection usable.
  // (Letting Beast enforce read_message_max instead fails the connection,
  // and its teardown can reset it before the client reads the close frame.)
  bool too_big = false;
  for (;;) {
    // After a close began, reading goes on until the closing handshake ends
    // (what Beast asks of a closing stream); messages are no longer handled.
    const std::size_t room = too_big ? kDiscardChunkBytes : max - buffer.size();
    auto [ec, n] = co_await ws_.async_read_some(buffer, room, use_tuple);
    if (ec) co_return;
    if (too_big) buffer.clear();
    if (!ws_.is_message_done()) {
      if (!too_big && buffer.size() >= max) {
        too_big = true;
        buffer.clear();
        buffer.shrink_to_fit();
      }
      continue;
    }
    if (closing_) {
      // nothing more is handled
    } else if (too_big) {
      ctx_.probe.message(Verb::invalid);
      send(nostr::relay_notice("invalid: message larger than " + std::to_string(max) + " bytes"));
    } else {
      last_activity_ = Clock::now();
      if (ws_.got_text()) {
        const auto data = buffer.cdata();
        co_await on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
      } else {
        ctx_.probe.message(Verb::invalid);
        send(nostr::relay_notice("invalid: binary messages are not supported; send JSON text"));
      }
    }
    too_big = false;
    buffer.clear();
    if (buffer.capacity() > kKeptReadBufferBytes) buffer.shrink_to_fit();
  }
}

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
  beast::get_lowest_layer(ws_).socket().set_option(UnsentLimit(std::numeric_limits<int>::max()), ec);
  log::info("dropping a slow reader", {{"connection", id_}, {"relay", relay_id_}, {"remote", client_ip_},
                                       {"pending_bytes", pending_bytes_.load()}});
  begin_close(CloseCause::slow_reader, websocket::close_code::policy_error,
              "too slow: more than " + std::to_string(max_pending_bytes_) + " bytes waiting to be sent");
}

void Session::begin_close(CloseCause cause, websocket::close_code code, std::string reason) {
  if (closing_.exchange(true)) return;
  close_cause_ = cause;
  release_queue();
  wake_writer_.cancel();
  queue_drained_.cancel();
  ok_timer_.cancel();
  // A close frame's reason holds at most 123 bytes.
  if (reason.size() > 120) reason.resize(120);
  asio::co_spawn(strand_, close_socket(shared_from_this(), websocket::close_reason(code, reason)), asio::detached);
}

asio::awaitable<void> Session::close_socket(std::shared_ptr<Session> self, websocket::close_reason reason) {
  // A peer that does not read (the slow reader) may never let the close
  // frame out: the socket is closed under it after the handshake timeout.
  asio::steady_timer guard(strand_, ctx_.settings.handshake_timeout);
  guard.async_wait([self](boost::system::error_code ec) {
    if (!ec) beast::get_lowest_layer(self->ws_).close();
  });
  auto [ec] = co_await ws_.async_close(reason, use_tuple);
  guard.cancel();
  if (ec) log::debug("websocket close failed", {{"connection", id_}, {"error", ec.message()}});
}

void Session::finish() {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  release_queue();
  wake_writer_.cancel();
  queue_drained_.cancel();
  ok_timer_.cancel();
  for (const auto& sub : subscriptions_) {
    sub->active = false;
    if (sub->in_hub) ctx_.hub.remove(sub);
    ctx_.probe.subscription_closed();
  }
  subscriptions_.clear();
  pending_events_.clear();
  if (accepted_) {
    ctx_.connections.remove(id_);
    ctx_.probe.connection_closed(close_cause_);
  }
  slot_.reset();
  beast::get_lowest_layer(ws_).close();
}

void Session::post_ingest_reply(streams::IngestReply reply) {
  asio::post(strand_, [self = shared_from_this(), reply = std::move(reply)] { self->on_ingest_reply(reply); });
}

void Session::post_close(CloseCause cause, std::string reason) {
  asio::post(strand_, [self = shared_from_this(), cause, reason = std::move(reason)]() mutable {
    self->begin_close(cause, websocket::close_code::going_away, std::move(reason));
  });
}

void Session::post_idle_check(Clock::time_point now) {
  asio::post(strand_, [self = shared_from_this(), now] {
    if (self->closing_ || !self->subscriptions_.empty() || !self->pending_events_.empty() ||
        self->counts_in_flight_ > 0)
      return;
    if (now - self->last_activity_ < self->ctx_.settings.relay.limits.idle_timeout) return;
    self->begin_close(CloseCause::idle, websocket::close_code::normal, "idle: no subscription and no message");
  });
}

nostr::MessageLimits message_limits(const relay::RelayLimits& limits) {
  nostr::MessageLimits m;
  m.filter = limits.filter_limits();
  m.max_filters = limits.max_filters;
  return m;
}

}  // namespace marina::relay_query
