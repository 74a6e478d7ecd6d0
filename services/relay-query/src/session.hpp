#pragma once
// One client WebSocket connection to one hosted relay.
//
// Two coroutines on the connection's strand: the reader (parses and handles
// each message) and ONE writer (sends queued messages in order). They are
// joined by a queue of shared_ptr<const std::string>, so a live event's
// ["EVENT",<sub>,<event>] built once by the fan-out is shared by every
// connection it goes to.
//
// Bounds:
// - incoming messages: max_message_bytes (a larger one is read and dropped
//   piece by piece, then answered with NOTICE "invalid: ...");
// - outgoing bytes waiting to be written (max_pending_bytes): stored results
//   wait for room (back-pressure on the REQ, the client just reads them
//   slower); a live event or a reply that would pass the bound drops the
//   connection (close 1008 with the reason), so a slow reader never grows
//   memory;
// - subscriptions, concurrent COUNTs and EVENTs awaiting their OK per
//   connection; each refusal is a NIP-01 CLOSED or OK false.
// Liveness: Beast pings after ping_interval of silence and drops a peer
// silent for twice that; a connection with no subscription and no message
// for RELAY_IDLE_TIMEOUT is closed by the idle sweep.
//
// Thread safety: the state below is touched on the strand only; deliver_live
// and the post_* methods may be called from any thread.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activity_log.hpp"
#include "connection_registry.hpp"
#include "live_subscription.hpp"
#include "marina/http/upgrade.hpp"
#include "marina/nostr/client_message.hpp"
#include "marina/relay/event_policy.hpp"
#include "marina/relay/private_events.hpp"
#include "marina/relay/relay_config.hpp"
#include "marina/store/relay.hpp"
#include "marina/streams/contracts.hpp"
#include "query_probe.hpp"
#include "session_auth.hpp"
#include "session_context.hpp"

namespace marina::relay_query {

class Session final : public LiveSink, public std::enable_shared_from_this<Session> {
 public:
  using Clock = std::chrono::steady_clock;
  using Slot = ConnectionRegistry::Slot;

  // Runs one connection to its end: the WebSocket handshake, then messages
  // until either side closes. `slot` is the admission (counted per client IP
  // and per relay).
  static boost::asio::awaitable<void> serve(SessionContext& context, std::shared_ptr<const store::Relay> relay,
                                            std::string client_ip, std::shared_ptr<Slot> slot,
                                            http::Upgraded upgraded);

  Session(SessionContext& context, std::shared_ptr<const store::Relay> relay, std::string client_ip,
          std::shared_ptr<Slot> slot, boost::beast::tcp_stream stream);
  ~Session() override;

  std::uint64_t id() const noexcept { return id_; }
  const std::string& relay_id() const noexcept { return relay_id_; }

  // From any thread. The fan-out's side (session_writer.cpp):
  void deliver_live(const std::shared_ptr<LiveSubscription>& sub, std::shared_ptr<const std::string> payload,
                    std::int64_t stream_ms) override;
  // Live events kept for this connection's loading REQs: at most
  // max_pending_bytes in all, apart from the outbound queue's own bound.
  bool hold_buffered(std::size_t bytes) override;
  void release_buffered(std::size_t bytes) override;
  // Whether a direct message may go to this connection (verb_auth.cpp).
  bool may_read(const nostr::Event& private_event) const override;
  // An EVENT's outcome from relay-ingest (verb_event.cpp).
  void post_ingest_reply(streams::IngestReply reply);
  // Closing from outside: shutdown, an inactive relay, the idle sweep (session.cpp).
  void post_close(CloseCause cause, std::string reason);
  void post_idle_check(Clock::time_point now);
  // The relay as the directory now holds it (a configuration or rule change):
  // later messages follow its bounds; a connection its ip rules now refuse is
  // closed (session_subscriptions.cpp).
  void post_relay_changed(std::shared_ptr<const store::Relay> relay);

 private:
  // One queued message; a live event carries its marina:events entry time,
  // so the fan-out latency is measured when it has really been written.
  struct Outgoing {
    std::shared_ptr<const std::string> payload;
    std::int64_t stream_ms = 0;
  };

  struct PendingEvent {
    nostr::EventId id;
    Clock::time_point received;
    Clock::time_point deadline;
  };

  // Where each part lives (one file each):
  //   session.cpp                the lifecycle: handshake, closing, the end, posts from other threads
  //   session_reader.cpp         the reader: frames, the message-size bound, dispatch to a verb
  //   session_writer.cpp         the writer: the outbound queue, its byte bound, live deliveries
  //   verb_event.cpp             EVENT: checks, hand-off to relay-ingest, its OK or the timeout
  //   verb_req.cpp               REQ: live (buffering) first, stored events, EOSE, backlog, live
  //   verb_count.cpp             COUNT
  //   verb_close.cpp             CLOSE
  //   verb_auth.cpp              AUTH (NIP-42), the auth gates of REQ, COUNT and EVENT, who may read DMs
  //   session_subscriptions.cpp  the connection's subscriptions, shared by REQ, COUNT, CLOSE

  // Lifecycle (session.cpp).
  boost::asio::awaitable<void> run(boost::beast::http::request<boost::beast::http::string_body> request);
  void begin_close(CloseCause cause, boost::beast::websocket::close_code code, std::string reason);
  // Coroutines started with co_spawn take the session as their first
  // parameter: it is copied into the frame when the call is made, so the
  // session outlives them even if the connection ends before they start.
  boost::asio::awaitable<void> close_socket(std::shared_ptr<Session> self, boost::beast::websocket::close_reason reason);
  void finish();

  // The reader (session_reader.cpp).
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> on_message(std::string_view text);

  // The writer (session_writer.cpp). send() is false when the message was not
  // queued (closing, or it would pass the byte bound: then the connection is
  // being dropped).
  boost::asio::awaitable<void> write_loop(std::shared_ptr<Session> self);
  bool send(std::string message);
  bool send(std::shared_ptr<const std::string> message, std::int64_t stream_ms = 0);
  // Counts n more bytes as pending when they fit (thread-safe).
  bool reserve(std::size_t n);
  void enqueue_live(LiveSubscription& sub, std::shared_ptr<const std::string> payload, std::int64_t stream_ms,
                    std::size_t reserved);
  // Waits until the queue is under half its bound (stored results use it).
  boost::asio::awaitable<void> wait_for_room();
  void release_queue();
  void drop_slow_reader();

  // EVENT and its OK (verb_event.cpp).
  boost::asio::awaitable<void> on_event(nostr::Event event);
  void on_ingest_reply(const streams::IngestReply& reply);
  void reply_ok(const nostr::EventId& id, bool accepted, std::string_view message, OkResult result,
                Clock::time_point received);
  void start_ok_watch();
  boost::asio::awaitable<void> watch_ok_timeouts(std::shared_ptr<Session> self);

  // REQ (verb_req.cpp).
  void on_req(nostr::ReqMessage message);
  boost::asio::awaitable<void> run_req(std::shared_ptr<Session> self, std::shared_ptr<LiveSubscription> sub);

  // COUNT (verb_count.cpp).
  void on_count(nostr::CountMessage message);
  boost::asio::awaitable<void> run_count(std::shared_ptr<Session> self, std::string subscription_id,
                                         std::vector<nostr::Filter> filters);
  boost::asio::awaitable<std::uint64_t> count_readable(const std::vector<nostr::Filter>& filters);

  // CLOSE (verb_close.cpp).
  void on_close(const nostr::CloseMessage& message);

  // AUTH and what depends on who authenticated (verb_auth.cpp).
  void on_auth(const nostr::AuthMessage& message);
  // Sends this connection's NIP-42 challenge, a new one when the current
  // one has expired under the relay's nip42_challenge_timeout.
  void send_challenge();
  void renew_expired_challenge(const relay::RelayConfig& config);
  // The `auth-required:` answer a REQ or COUNT with these filters gets, if
  // any: the relay requires AUTH, or the filters ask only for direct
  // messages, before this connection authenticated.
  std::optional<std::string_view> read_refusal(const std::vector<nostr::Filter>& filters);
  // The same for an EVENT (nip42_auth_required, nip42_auth_required_kinds,
  // an AUTH event sent as EVENT).
  struct Refusal {
    OkResult result;
    std::string message;
  };
  std::optional<Refusal> publish_refusal(const relay::RelayConfig& config, const nostr::Event& event);
  // The filters of a REQ or COUNT narrowed to what this connection may read.
  relay::ReadableFilters readable(const std::vector<nostr::Filter>& filters) const;

  // The connection's subscriptions and its relay's bounds (session_subscriptions.cpp).
  void on_relay_changed(std::shared_ptr<const store::Relay> relay);
  // The relay's configuration now (replaced by on_relay_changed; the
  // defaults for a relay built without one, as tests do).
  const relay::RelayConfig& config() const { return relay::config_of(relay_->config); }
  // Open subscriptions allowed on this connection now (its relay's bound).
  std::size_t max_subscriptions() const;
  // Counts a new subscription `id` against the connection's and the relay's
  // bounds; false (and CLOSED sent) when one is reached.
  bool admit_subscription(const std::string& id);
  // True (and CLOSED sent) when a REQ's or COUNT's id is over the bound.
  bool subscription_id_too_long(const std::string& id);
  std::shared_ptr<LiveSubscription> find_subscription(std::string_view id) const;
  // `why` goes to the activity log (subscription_events).
  void remove_subscription(const std::shared_ptr<LiveSubscription>& sub,
                           SubscriptionChange why = SubscriptionChange::closed);
  // The filters worth a query: one that matches nothing needs none.
  static std::vector<nostr::Filter> queryable(const std::vector<nostr::Filter>& filters);

  SessionContext& ctx_;
  const std::string relay_id_;
  const std::string client_ip_;
  std::shared_ptr<Slot> slot_;
  // The relay as last heard from the directory (post_relay_changed): its
  // configuration and rules, read without a lookup.
  std::shared_ptr<const store::Relay> relay_;
  const std::uint64_t id_;
  const std::size_t max_pending_bytes_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::asio::any_io_executor strand_;

  // Outbound queue, and the bytes in it plus those posted to it or being
  // written (updated from other threads by deliver_live).
  std::deque<Outgoing> queue_;
  std::atomic<std::size_t> pending_bytes_{0};
  std::atomic<std::size_t> buffered_bytes_{0};
  std::atomic<bool> closing_{false};
  std::atomic<bool> drop_posted_{false};
  boost::asio::steady_timer wake_writer_;   // the writer sleeps on it while the queue is empty
  boost::asio::steady_timer queue_drained_; // wait_for_room sleeps on it
  boost::asio::steady_timer ok_timer_;      // the earliest OK deadline
  bool accepted_ = false;
  bool finished_ = false;
  CloseCause close_cause_ = CloseCause::client;

  std::vector<std::shared_ptr<LiveSubscription>> subscriptions_;
  std::size_t counts_in_flight_ = 0;
  std::vector<PendingEvent> pending_events_;  // in arrival order, so deadlines ascend
  bool ok_watch_running_ = false;
  Clock::time_point last_activity_;
  // NIP-42. auth_ lives on the strand; the URLs this relay is known by to
  // this client (its public URL, and the Host it dialled); a copy of the
  // authenticated pubkeys the fan-out reads from its own thread (may_read)
  // under readers_mu_.
  ConnectionAuth auth_;
  std::vector<std::string> relay_urls_;
  mutable std::mutex readers_mu_;
  std::vector<nostr::PublicKey> readers_;
};

}  // namespace marina::relay_query
