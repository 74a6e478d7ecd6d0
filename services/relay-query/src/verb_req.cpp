// REQ (stored events, EOSE, then live without gap or repeat), CLOSE and COUNT.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <unordered_set>

#include "event_checks.hpp"
#include "live_hub.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/store/event_store.hpp"
#include "relay_document.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

namespace {

// The filters worth a query: one that matches nothing needs none.
std::vector<nostr::Filter> queryable(const std::vector<nostr::Filter>& filters) {
  std::vector<nostr::Filter> out;
  for (const auto& f : filters)
    if (!f.matches_nothing()) out.push_back(f);
  return out;
}

}  // namespace

bool Session::subscription_id_too_long(const std::string& id) {
  const std::size_t max = effective_max_subid_length(ctx_.settings.relay.limits);
  if (code_points(id) <= max) return false;
  send(nostr::relay_closed(id, nostr::Prefix::invalid,
                           "subscription id longer than " + std::to_string(max) + " characters"));
  return true;
}

std::shared_ptr<LiveSubscription> Session::find_subscription(std::string_view id) const {
  for (const auto& sub : subscriptions_)
    if (sub->id == id) return sub;
  return nullptr;
}

void Session::remove_subscription(const std::shared_ptr<LiveSubscription>& sub) {
  sub->active = false;
  if (sub->in_hub) {
    ctx_.hub.remove(sub);
    sub->in_hub = false;
  }
  std::erase(subscriptions_, sub);
  ctx_.probe.subscription_closed();
}

void Session::on_req(nostr::ReqMessage message) {
  if (subscription_id_too_long(message.subscription_id)) return;
  // NIP-01: a REQ with the id of an open subscription replaces it.
  if (auto existing = find_subscription(message.subscription_id)) remove_subscription(existing);
  const std::size_t max = ctx_.settings.relay.limits.max_subscriptions;
  if (subscriptions_.size() >= max) {
    send(nostr::relay_closed(message.subscription_id, nostr::Prefix::error,
                             "too many subscriptions (at most " + std::to_string(max) + " per connection)"));
    return;
  }
  auto sub = std::make_shared<LiveSubscription>(relay_id_, std::move(message.subscription_id),
                                                std::move(message.filters), weak_from_this());
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
  const std::vector<nostr::Filter> filters = queryable(sub->filters);
  std::vector<std::string> stored;
  const auto started = Clock::now();
  bool failed = false;
  try {
    stored = co_await ctx_.store.query(relay_id_, filters, core::unix_seconds());
    ctx_.probe.stored_query(Verb::req, std::chrono::duration<double>(Clock::now() - started).count());
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

void Session::on_close(const nostr::CloseMessage& message) {
  if (auto sub = find_subscription(message.subscription_id)) remove_subscription(sub);
}

void Session::on_count(nostr::CountMessage message) {
  if (subscription_id_too_long(message.subscription_id)) return;
  const std::size_t max = ctx_.settings.relay.limits.max_subscriptions;
  if (counts_in_flight_ >= max) {
    send(nostr::relay_closed(message.subscription_id, nostr::Prefix::error,
                             "too many COUNT requests at once (at most " + std::to_string(max) + ")"));
    return;
  }
  ++counts_in_flight_;
  asio::co_spawn(strand_, run_count(shared_from_this(), std::move(message.subscription_id), std::move(message.filters)),
                 asio::detached);
}

asio::awaitable<void> Session::run_count(std::shared_ptr<Session>, std::string subscription_id,
                                         std::vector<nostr::Filter> filters) {
  const std::vector<nostr::Filter> useful = queryable(filters);
  std::uint64_t count = 0;
  bool failed = false;
  if (!useful.empty()) {
    const auto started = Clock::now();
    try {
      count = co_await ctx_.store.count(relay_id_, useful, core::unix_seconds());
      ctx_.probe.stored_query(Verb::count, std::chrono::duration<double>(Clock::now() - started).count());
    } catch (const std::exception& e) {
      log::warn("stored count failed", {{"relay", relay_id_}, {"error", e.what()}});
      ctx_.probe.stored_query_failed();
      failed = true;
    }
  }
  if (closing_) co_return;
  --counts_in_flight_;
  if (failed) {
    send(nostr::relay_closed(subscription_id, nostr::Prefix::error, "could not count stored events; try again"));
  } else {
    send(nostr::relay_count(subscription_id, count));
  }
}

}  // namespace marina::relay_query
