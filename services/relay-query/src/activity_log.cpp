#include "activity_log.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "live_subscription.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/pg/pool.hpp"

namespace marina::relay_query {

namespace {

const char* change_name(SubscriptionChange c) {
  switch (c) {
    case SubscriptionChange::created:
      return "created";
    case SubscriptionChange::closed:
      return "closed";
    case SubscriptionChange::replaced:
      return "replaced";
    case SubscriptionChange::disconnected:
      break;
  }
  return "disconnected";
}

template <typename Row>
void bounded_push(std::deque<Row>& rows, Row row, std::size_t bound) {
  rows.push_back(std::move(row));
  while (rows.size() > bound) rows.pop_front();
}

// One statement per table: the rows as a JSON array of objects (a single
// text parameter whatever the batch), then each flushed relay trimmed to the
// newest `bound` rows (the uncorrelated subquery finds each relay's floor once).
constexpr const char* kInsertSubscriptions = R"SQL(
INSERT INTO relay_subscription_log (relay_id, subscription_id, client_id, client_ip, event_type, filter_json, created_at)
SELECT relay_id, subscription_id, client_id, client_ip, event_type, filter_json, created_at
FROM json_to_recordset($1::json) AS r(relay_id uuid, subscription_id text, client_id text, client_ip text,
                                      event_type text, filter_json text, created_at bigint)
)SQL";
constexpr const char* kInsertBroadcasts = R"SQL(
INSERT INTO relay_broadcast_log (relay_id, event_id, subscription_id, client_id, created_at)
SELECT relay_id, event_id, subscription_id, client_id, created_at
FROM json_to_recordset($1::json) AS r(relay_id uuid, event_id text, subscription_id text, client_id text,
                                      created_at bigint)
)SQL";
constexpr const char* kTrimSubscriptions = R"SQL(
DELETE FROM relay_subscription_log l
USING (SELECT r::uuid AS relay_id,
              (SELECT id FROM relay_subscription_log WHERE relay_id = r::uuid ORDER BY id DESC OFFSET $2 LIMIT 1) AS floor
       FROM json_array_elements_text($1::json) r) f
WHERE l.relay_id = f.relay_id AND l.id <= f.floor
)SQL";
constexpr const char* kTrimBroadcasts = R"SQL(
DELETE FROM relay_broadcast_log l
USING (SELECT r::uuid AS relay_id,
              (SELECT id FROM relay_broadcast_log WHERE relay_id = r::uuid ORDER BY id DESC OFFSET $2 LIMIT 1) AS floor
       FROM json_array_elements_text($1::json) r) f
WHERE l.relay_id = f.relay_id AND l.id <= f.floor
)SQL";

}  // namespace

ActivityLog::ActivityLog(std::size_t rows_per_relay) : rows_per_relay_(rows_per_relay) {}

void ActivityLog::subscription(const LiveSubscription& sub, std::string_view client_ip, SubscriptionChange change) {
  if (!enabled()) return;
  SubscriptionRow row{sub.id, sub.client_id, std::string(client_ip), "", change, core::unix_seconds()};
  if (change == SubscriptionChange::created) {
    row.filter_json = "[";
    for (std::size_t i = 0; i < sub.filters.size(); ++i)
      row.filter_json += (i ? "," : "") + nostr::filter_to_json(sub.filters[i]);
    row.filter_json += "]";
  }
  std::lock_guard lock(mu_);
  bounded_push(pending_[sub.relay_id].subscriptions, std::move(row), rows_per_relay_);
}

void ActivityLog::broadcast(const std::string& relay_id, const nostr::EventId& event,
                            std::vector<std::shared_ptr<const LiveSubscription>>& subs) {
  if (!enabled() || subs.empty()) return;
  BroadcastBatch batch{event, core::unix_seconds(), std::move(subs)};
  subs.clear();
  std::lock_guard lock(mu_);
  auto& log = pending_[relay_id];
  log.broadcast_rows += batch.subs.size();
  log.broadcasts.push_back(std::move(batch));
  // Over the bound: whole oldest batches go, then the oldest deliveries of the next.
  while (log.broadcast_rows > rows_per_relay_) {
    auto& oldest = log.broadcasts.front();
    const std::size_t excess = log.broadcast_rows - rows_per_relay_;
    if (oldest.subs.size() <= excess) {
      log.broadcast_rows -= oldest.subs.size();
      log.broadcasts.pop_front();
    } else {
      oldest.subs.erase(oldest.subs.begin(), oldest.subs.begin() + static_cast<std::ptrdiff_t>(excess));
      log.broadcast_rows -= excess;
    }
  }
}

boost::asio::awaitable<void> ActivityLog::flush(pg::Pool& db) {
  Pending taken;
  {
    std::lock_guard lock(mu_);
    taken.swap(pending_);
  }
  if (taken.empty()) co_return;
  // Text is made here, off the fan-out.
  nlohmann::json subscriptions = nlohmann::json::array(), broadcasts = nlohmann::json::array(),
                 relays = nlohmann::json::array();
  for (auto& [relay_id, log] : taken) {
    relays.push_back(relay_id);
    for (const auto& s : log.subscriptions)
      subscriptions.push_back({{"relay_id", relay_id},
                               {"subscription_id", s.subscription_id},
                               {"client_id", s.client_id},
                               {"client_ip", s.client_ip},
                               {"event_type", change_name(s.change)},
                               {"filter_json", s.filter_json},
                               {"created_at", s.at}});
    for (const auto& b : log.broadcasts) {
      const std::string event_id = b.event.hex();
      for (const auto& sub : b.subs)
        broadcasts.push_back({{"relay_id", relay_id},
                              {"event_id", event_id},
                              {"subscription_id", sub->id},
                              {"client_id", sub->client_id},
                              {"created_at", b.at}});
    }
  }
  taken.clear();  // the subscriptions they kept alive go now
  const std::string subs_json = subscriptions.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string casts_json = broadcasts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string relays_json = relays.dump();
  const auto bound = static_cast<std::int64_t>(rows_per_relay_);
  try {
    auto write = [&](pqxx::work& tx) {
      if (subscriptions.size() > 0) {
        tx.exec_params(kInsertSubscriptions, subs_json);
        tx.exec_params(kTrimSubscriptions, relays_json, bound);
      }
      if (broadcasts.size() > 0) {
        tx.exec_params(kInsertBroadcasts, casts_json);
        tx.exec_params(kTrimBroadcasts, relays_json, bound);
      }
    };
    co_await db.transaction(write);
  } catch (const std::exception& e) {
    log::warn("activity log not written", {{"subscription_rows", subscriptions.size()},
                                           {"broadcast_rows", broadcasts.size()},
                                           {"error", e.what()}});
  }
}

boost::asio::awaitable<void> ActivityLog::run(pg::Pool& db, std::chrono::milliseconds interval) {
  if (!enabled()) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (true) {
    timer.expires_after(interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_await flush(db);
  }
}

}  // namespace marina::relay_query
