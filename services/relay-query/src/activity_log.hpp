#pragma once
// The subscription lifecycle and broadcast logs behind the sql_query
// sandbox's subscription_events and event_broadcasts (seed 004): kept in
// memory per relay, written to PostgreSQL in one transaction every
// RELAY_QUERY_ACTIVITY_LOG_FLUSH (2 s), and trimmed there to
// RELAY_QUERY_ACTIVITY_LOG_ROWS rows per relay and table.
//
// What it costs the hot path: a delivery moves the reference to its
// subscription the fan-out already made into a vector (the ids are turned
// into text only when flushing, off the fan-out); each published event with
// deliveries takes one short lock to hand that vector over whole; a relay's
// buffer never holds more deliveries than its table keeps (the oldest are
// dropped first); and the flush is one pooled transaction on its own strand,
// never awaited by a client. Nothing is recorded with the bound set to 0.
// tests/bench/relay/live_hub_bench.cpp measures the difference.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "marina/nostr/event.hpp"

namespace marina::pg {
class Pool;
}

namespace marina::relay_query {

struct LiveSubscription;

enum class SubscriptionChange { created, closed, replaced, disconnected };

class ActivityLog {
 public:
  // `rows_per_relay` bounds each relay's rows per table, here and in the
  // database; 0 turns the log off.
  explicit ActivityLog(std::size_t rows_per_relay);

  bool enabled() const { return rows_per_relay_ > 0; }

  // A subscription of connection `client_id` from `client_ip` changed
  // (created: with its filters as JSON). Called on the connection's strand.
  void subscription(const LiveSubscription& sub, std::string_view client_ip, SubscriptionChange change);
  // `event` of `relay_id` was delivered to `subs` (taken). Called by the
  // fan-out, once per event.
  void broadcast(const std::string& relay_id, const nostr::EventId& event,
                 std::vector<std::shared_ptr<const LiveSubscription>>& subs);

  // Writes what was recorded since the last flush and trims the tables.
  // A failure is logged and the rows are dropped (a log, not a ledger).
  boost::asio::awaitable<void> flush(pg::Pool& db);
  // flush() every `interval` until cancelled.
  boost::asio::awaitable<void> run(pg::Pool& db, std::chrono::milliseconds interval);

 private:
  struct SubscriptionRow {
    std::string subscription_id, client_id, client_ip, filter_json;
    SubscriptionChange change;
    std::int64_t at;
  };
  // One published event and the subscriptions it went to: kept as the
  // fan-out's own vector, so a delivery costs no work here of its own.
  struct BroadcastBatch {
    nostr::EventId event;
    std::int64_t at;
    std::vector<std::shared_ptr<const LiveSubscription>> subs;
  };
  struct RelayLog {
    std::deque<SubscriptionRow> subscriptions;
    std::deque<BroadcastBatch> broadcasts;
    std::size_t broadcast_rows = 0;  // deliveries in `broadcasts`, at most the bound
  };
  using Pending = std::unordered_map<std::string, RelayLog>;

  std::size_t rows_per_relay_;
  std::mutex mu_;
  Pending pending_;
};

}  // namespace marina::relay_query
