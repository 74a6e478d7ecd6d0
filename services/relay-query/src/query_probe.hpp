#pragma once
// relay-query's metrics, one method per thing that happens. Handles are
// resolved once here; every method is a few relaxed atomic operations and
// safe from any thread. Names follow Prometheus conventions, units in the name.
#include <cstddef>
#include <string_view>
#include <vector>

#include "marina/metrics/counter.hpp"
#include "marina/metrics/gauge.hpp"
#include "marina/metrics/histogram.hpp"

namespace marina::metrics { class Registry; }

namespace marina::relay_query {

enum class Verb { event, req, count, close, auth, invalid };
enum class ConnectionResult { accepted, unknown_relay, too_many_from_ip, handshake_failed, ip_blocked, relay_full };
enum class OkResult { accepted, rejected, blocked, invalid, timed_out, error, auth_required };
enum class LiveResult { delivered, buffered, unmatched, no_subscribers, duplicate, expired, malformed };
enum class CloseCause { client, slow_reader, idle, shutdown, relay_inactive, error, ip_blocked };
// What became of a client's NIP-42 AUTH.
enum class AuthResult { accepted, invalid, wrong_relay, expired, reused };
// A per-relay bound a client message ran into (the connection bounds are ConnectionResult's).
enum class LimitRefusal { subscriptions_per_client, total_subscriptions, message_length };

class QueryProbe {
 public:
  explicit QueryProbe(metrics::Registry& registry);

  void connection(ConnectionResult result);
  void connection_closed(CloseCause cause);
  void message(Verb verb);
  void subscription_opened() { subscriptions_open_.inc(); }
  void subscription_closed() { subscriptions_open_.dec(); }
  void stored_events_sent(std::size_t n) { events_sent_stored_.inc(static_cast<double>(n)); }
  void live_event_sent() { events_sent_live_.inc(); }
  void stored_query(Verb verb, double seconds);
  void stored_query_failed() { query_failures_.inc(); }
  void live_event(LiveResult result);
  void fanout_latency(double seconds) { fanout_latency_.observe(seconds); }
  void events_stream_lag(double seconds) { events_lag_.set(seconds); }
  void ok(OkResult result, double seconds_since_receipt);
  // An EVENT refused by relay-query's own check, by reason (the labels of
  // libs/relay event_policy.hpp and store::event_refusal_reason).
  void event_refused(std::string_view reason) { refused_.with({reason}).inc(); }
  void ingest_reply_unroutable() { replies_unroutable_.inc(); }
  void stream_reconnected(std::string_view stream);
  // NIP-42 and direct-message privacy.
  void auth(AuthResult result) { auths_[static_cast<std::size_t>(result)].inc(); }
  void auth_required(Verb verb) { auth_required_[static_cast<std::size_t>(verb)].inc(); }
  void private_events_withheld(bool live, std::size_t n) {
    (live ? withheld_live_ : withheld_stored_).inc(static_cast<double>(n));
  }
  void limit_refused(LimitRefusal limit) { limit_refusals_[static_cast<std::size_t>(limit)].inc(); }

 private:
  // Handles per label value, indexed by the enum: no lookup per increment.
  metrics::Gauge connections_open_;
  std::vector<metrics::Counter> connections_total_;
  std::vector<metrics::Counter> connections_closed_;
  std::vector<metrics::Counter> messages_;
  metrics::Gauge subscriptions_open_;
  metrics::Counter events_sent_stored_;
  metrics::Counter events_sent_live_;
  metrics::Histogram query_req_;
  metrics::Histogram query_count_;
  metrics::Counter query_failures_;
  std::vector<metrics::Counter> live_events_;
  metrics::Histogram fanout_latency_;
  metrics::Gauge events_lag_;
  std::vector<metrics::Counter> oks_;
  metrics::Histogram ok_latency_;
  metrics::Counter replies_unroutable_;
  metrics::Counter slow_reader_drops_;
  std::vector<metrics::Counter> auths_;
  std::vector<metrics::Counter> auth_required_;
  metrics::Counter withheld_stored_;
  metrics::Counter withheld_live_;
  std::vector<metrics::Counter> limit_refusals_;
  metrics::CounterFamily& resumes_;  // rare: resolved when it happens
  metrics::CounterFamily& refused_;  // resolved per refusal: the reasons are many
};

}  // namespace marina::relay_query
