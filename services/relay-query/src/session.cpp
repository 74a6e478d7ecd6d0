// A client connection's lifecycle: the handshake, closing (politely, or
// under a peer that does not read), the end, and the requests to close that
// come from other threads. The reader, the writer and each verb have files of
// their own (see session.hpp).
#include "session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>
#include "live_hub.hpp"
#include "marina/core/log.hpp"
#include "marina/store/relay_directory.hpp"
#include "unsent_limit.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Messages up to this many times RELAY_MAX_MESSAGE_BYTES are read and
// dropped with a NOTICE (session_reader.cpp); larger ones are refused at
// their frame header.
constexpr std::size_t kRefusedMessageFactor = 4;
// Outgoing frames carry at most this much payload.
constexpr std::size_t kFrameBytes = 16 * 1024;

}  // namespace

Session::Session(SessionContext& context, std::shared_ptr<const store::Relay> relay, std::string client_ip,
                 std::shared_ptr<Slot> slot, beast::tcp_stream stream)
    : ctx_(context),
      relay_id_(relay->id),
      client_ip_(std::move(client_ip)),
      slot_(std::move(slot)),
      relay_(std::move(relay)),
      id_(context.connections.next_id()),
      max_pending_bytes_(context.settings.relay.limits.max_pending_bytes),
      ws_(std::move(stream)),
      strand_(ws_.get_executor()),
      wake_writer_(strand_),
      queue_drained_(strand_),
      ok_timer_(strand_),
      last_activity_(Clock::now()),
      relay_urls_{context.settings.relay.relay_url(relay_->subdomain)} {}

// Nothing here may touch the service's shared parts: a session can outlive
// them when the io_context is destroyed with its coroutines suspended.
Session::~Session() = default;

asio::awaitable<void> Session::serve(SessionContext& context, std::shared_ptr<const store::Relay> relay,
                                     std::string client_ip, std::shared_ptr<Slot> slot, http::Upgraded upgraded) {
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

  // NIP-42: the relay is also known by the Host the client dialled (it led
  // here, so it names this relay), scheme and port as the client used them.
  if (const auto host = request[beast::http::field::host]; !host.empty())
    relay_urls_.push_back("ws://" + std::string(host) + "/");
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
  // A change applied while the handshake ran reached the registered
  // connections only: catch up with the directory once.
  if (auto current = ctx_.directory.cached_by_id(relay_id_); current && current != relay_) on_relay_changed(current);
  asio::co_spawn(strand_, write_loop(shared_from_this()), asio::detached);
  send_challenge();  // NIP-42 is offered on every relay
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
    ctx_.activity.subscription(*sub, client_ip_, SubscriptionChange::disconnected);
    sub->active = false;
    if (sub->in_hub) ctx_.hub.remove(sub);
    ctx_.probe.subscription_closed();
  }
  subscriptions_.clear();  // the slot's release below counts them off the relay
  pending_events_.clear();
  if (accepted_) {
    ctx_.connections.remove(id_);
    ctx_.probe.connection_closed(close_cause_);
  }
  slot_.reset();
  beast::get_lowest_layer(ws_).close();
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

}  // namespace marina::relay_query
