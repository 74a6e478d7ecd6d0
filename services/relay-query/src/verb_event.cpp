// EVENT: quick checks, the hand-off to relay-ingest, and its OK when the
// outcome comes back on this replica's reply stream (or the timeout).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "event_checks.hpp"
#include "host_routing.hpp"
#include "ingest_queue.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/store/serving.hpp"
#include "marina/store/relay_directory.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

void Session::reply_ok(const nostr::EventId& id, bool accepted, std::string_view message, OkResult result,
                       Clock::time_point received) {
  send(nostr::relay_ok(id, accepted, message));
  ctx_.probe.ok(result, seconds_since(received));
}

asio::awaitable<void> Session::on_event(nostr::Event event) {
  ctx_.probe.message(Verb::event);
  const Clock::time_point received = Clock::now();
  const std::int64_t received_ms = core::unix_ms();

  // The relay's status now, not at connect time: suspension applies at once.
  std::shared_ptr<const store::Relay> relay;
  try {
    relay = co_await ctx_.directory.by_id(relay_id_);
  } catch (const std::exception& e) {
    log::warn("relay lookup failed", {{"relay", relay_id_}, {"error", e.what()}});
    if (!closing_) reply_ok(event.id, false, "error: could not check the relay; try again", OkResult::error, received);
    co_return;
  }
  if (closing_) co_return;
  if (auto refusal = store::event_refusal(relay.get())) {
    ctx_.probe.event_refused(store::event_refusal_reason(relay.get()));
    reply_ok(event.id, false, *refusal, OkResult::blocked, received);
    co_return;
  }
  if (auto refusal = publish_refusal(relay::config_of(relay->config), event)) {
    if (refusal->result == OkResult::auth_required) ctx_.probe.auth_required(Verb::event);
    reply_ok(event.id, false, refusal->message, refusal->result, received);
    co_return;
  }
  if (auto refusal = precheck_event(event, *relay, ctx_.settings.relay.limits, core::unix_seconds())) {
    ctx_.probe.event_refused(refusal->reason);
    const OkResult result = refusal->message.starts_with("blocked:")   ? OkResult::blocked
                            : refusal->message.starts_with("invalid:") ? OkResult::invalid
                                                                       : OkResult::rejected;
    reply_ok(event.id, false, refusal->message, result, received);
    co_return;
  }
  if (pending_events_.size() >= ctx_.settings.max_pending_events) {
    reply_ok(event.id, false,
             "rate-limited: " + std::to_string(pending_events_.size()) + " events are already waiting for their OK",
             OkResult::rejected, received);
    co_return;
  }

  streams::IngestRequest request;
  request.relay_id = relay_id_;
  request.origin = ctx_.settings.replica_id;
  request.connection = id_;
  request.event_json = std::move(event.raw);
  request.id_checked = true;  // parse_client_message recomputed the id: relay-ingest skips the hash
  request.received_ms = received_ms;
  request.client_ip = client_ip_;
  for (const nostr::PublicKey& pubkey : auth_.pubkeys()) request.auth_pubkeys.push_back(pubkey.hex());
  // Registered before the hand-off: the outcome may come back before the
  // XADD's own reply does.
  pending_events_.push_back(PendingEvent{event.id, received, received + ctx_.settings.ok_timeout});
  start_ok_watch();
  bool queued = true;
  try {
    co_await ctx_.ingest.submit(request);
  } catch (const std::exception& e) {
    log::warn("could not queue an event for ingest", {{"relay", relay_id_}, {"error", e.what()}});
    queued = false;
  }
  if (queued || closing_) co_return;
  for (auto it = pending_events_.begin(); it != pending_events_.end(); ++it) {
    if (it->id == event.id) {
      pending_events_.erase(it);
      reply_ok(event.id, false, "error: could not queue the event for storage; try again", OkResult::error, received);
      break;
    }
  }
}

void Session::post_ingest_reply(streams::IngestReply reply) {
  asio::post(strand_, [self = shared_from_this(), reply = std::move(reply)] { self->on_ingest_reply(reply); });
}

void Session::on_ingest_reply(const streams::IngestReply& reply) {
  if (closing_) return;
  const auto id = nostr::EventId::from_hex(reply.event_id);
  auto it = pending_events_.end();
  if (id) {
    it = std::find_if(pending_events_.begin(), pending_events_.end(),
                      [&](const PendingEvent& p) { return p.id == *id; });
  }
  if (it == pending_events_.end()) {
    // Already answered (it timed out), or not from this connection.
    ctx_.probe.ingest_reply_unroutable();
    return;
  }
  const Clock::time_point received = it->received;
  pending_events_.erase(it);
  // NIP-01: a refusal always carries a prefixed reason.
  std::string_view message = reply.message;
  if (!reply.accepted && message.empty()) message = "error: the event was not stored";
  reply_ok(*id, reply.accepted, message, reply.accepted ? OkResult::accepted : OkResult::rejected, received);
}

void Session::start_ok_watch() {
  if (ok_watch_running_) return;
  ok_watch_running_ = true;
  asio::co_spawn(strand_, watch_ok_timeouts(shared_from_this()), asio::detached);
}

asio::awaitable<void> Session::watch_ok_timeouts(std::shared_ptr<Session>) {
  while (!closing_ && !pending_events_.empty()) {
    ok_timer_.expires_at(pending_events_.front().deadline);
    co_await ok_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    const Clock::time_point now = Clock::now();
    while (!closing_ && !pending_events_.empty() && pending_events_.front().deadline <= now) {
      const PendingEvent expired = pending_events_.front();
      pending_events_.erase(pending_events_.begin());
      reply_ok(expired.id, false, "error: timed out storing the event", OkResult::timed_out, expired.received);
    }
  }
  ok_watch_running_ = false;
}

}  // namespace marina::relay_query
