// REQ: the subscription is filed live (buffering) first, then its stored
// events are sent, then EOSE, then what arrived meanwhile without repeats,
// then live events as they come: no gap, no repeat.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <unordered_set>

#include "event_checks.hpp"
#include "live_hub.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/expiration.hpp"
#include "marina/store/event_store.hpp"
#include "private_results.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

void Session::on_req(nostr::ReqMessage message) {
  if (subscription_id_too_long(message.subscription_id)) return;
  // NIP-01: a REQ with the id of an open subscription replaces it.
  if (auto existing = find_subscription(message.subscription_id))
    remove_subscription(existing, SubscriptionChange::replaced);
  if (auto why = read_refusal(message.filters)) {
    ctx_.probe.auth_required(Verb::req);
    send(nostr::relay_closed(message.subscription_id, *why));
    return;
  }
  if (!admit_subscription(message.subscription_id)) return;
  auto sub = std::make_shared<LiveSubscription>(relay_id_, std::move(message.subscription_id),
                                                std::move(message.filters), weak_from_this());
  sub->client_id = ctx_.settings.replica_id + ":" + std::to_string(id_);
  ctx_.activity.subscription(*sub, client_ip_, SubscriptionChange::created);
  subscriptions_.push_back(sub);
  ctx_.probe.subscription_opened();
  if (queryable(sub->filters).empty()) {
    // Nothing stored or live can match: EOSE now; the id stays open until CLOSE.
    send(nostr::relay_eose(sub->id));
    return;
  }
  // Live first, buffering, so nothing committed during the query is missed.
  ctx_.hub.add(sub);
  sub->in_hub = true;
  asio::co_spawn(strand_, run_req(shared_from_this(), std::move(sub)), asio::detached);
}

asio::awaitable<void> Session::run_req(std::shared_ptr<Session>, std::shared_ptr<LiveSubscription> sub) {
  std::vector<nostr::Filter> filters = queryable(sub->filters);
  // Direct messages: filters naming their kinds are narrowed to what this
  // connection may read (so `limit` counts those); what filters without
  // `kinds` bring back is checked event by event. Other REQs skip this.
  bool check_results = false;
  if (relay::may_match_private(filters)) {
    relay::ReadableFilters narrowed = readable(filters);
    filters = queryable(narrowed.filters);
    check_results = narrowed.unkinded;
  }
  std::vector<std::string> stored;
  const auto started = Clock::now();
  bool failed = false;
  try {
    if (!filters.empty())
      stored = co_await ctx_.store.query(relay_id_, filters, relay::hidden_expired_up_to(config(), core::unix_seconds()));
    ctx_.probe.stored_query(Verb::req, std::chrono::duration<double>(Clock::now() - started).count());
    if (check_results) {
      if (const std::size_t withheld = drop_unreadable(stored, auth_.pubkeys()))
        ctx_.probe.private_events_withheld(false, withheld);
    }
  } catch (const std::exception& e) {
    log::warn("stored query failed", {{"relay", relay_id_}, {"error", e.what()}});
    ctx_.probe.stored_query_failed();
    failed = true;
  }
  if (closing_ || !sub->active) co_return;
  if (failed) {
    send(nostr::relay_closed(sub->id, nostr::Prefix::error, "could not load stored events; try again"));
    remove_subscription(sub);
    co_return;
  }

  std::size_t sent = 0;
  for (const std::string& raw : stored) {
    // Back-pressure: a big result waits for the client to read, instead of
    // filling memory (live events keep buffering in the hub meanwhile).
    if (pending_bytes_.load(std::memory_order_relaxed) > max_pending_bytes_ / 2) {
      co_await wait_for_room();
      if (closing_ || !sub->active) co_return;
    }
    if (!send(nostr::relay_event(sub->id, raw))) co_return;
    ++sent;
  }
  ctx_.probe.stored_events_sent(sent);
  if (!send(nostr::relay_eose(sub->id))) co_return;

  LiveHub::Backlog backlog = ctx_.hub.go_live(sub);
  if (backlog.overflowed) {
    send(nostr::relay_closed(sub->id, nostr::Prefix::error,
                             "too many live events arrived while stored events were sent; subscribe again"));
    remove_subscription(sub);
    co_return;
  }
  if (backlog.events.empty()) co_return;
  // Events that arrived live while the query ran may be in its results too.
  std::unordered_set<nostr::EventId> already;
  already.reserve(stored.size());
  for (const std::string& raw : stored)
    if (auto id = raw_event_id(raw)) already.insert(*id);
  for (const auto& live : backlog.events) {
    if (already.contains(live->event.id)) continue;
    auto payload = std::make_shared<const std::string>(nostr::relay_event(sub->id, live->event.raw));
    if (!send(std::move(payload), live->stream_ms)) co_return;
  }
}

}  // namespace marina::relay_query
