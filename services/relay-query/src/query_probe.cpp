#include "query_probe.hpp"

#include "marina/metrics/registry.hpp"

namespace marina::relay_query {

namespace {

// Sub-millisecond to tens of seconds: stored queries, fan-out, OK round trips.
std::vector<double> latency_buckets() { return metrics::exponential_buckets(0.0002, 2.5, 14); }

std::string_view name(Verb v) {
  switch (v) {
    case Verb::event: return "EVENT";
    case Verb::req: return "REQ";
    case Verb::count: return "COUNT";
    case Verb::close: return "CLOSE";
    case Verb::auth: return "AUTH";
    case Verb::invalid: return "invalid";
  }
  return "invalid";
}

std::string_view name(ConnectionResult r) {
  switch (r) {
    case ConnectionResult::accepted: return "accepted";
    case ConnectionResult::unknown_relay: return "unknown_relay";
    case ConnectionResult::too_many_from_ip: return "too_many_from_ip";
    case ConnectionResult::handshake_failed: return "handshake_failed";
    case ConnectionResult::ip_blocked: return "ip_blocked";
    case ConnectionResult::relay_full: return "relay_full";
  }
  return "accepted";
}

std::string_view name(OkResult r) {
  switch (r) {
    case OkResult::accepted: return "accepted";
    case OkResult::rejected: return "rejected";
    case OkResult::blocked: return "blocked";
    case OkResult::invalid: return "invalid";
    case OkResult::timed_out: return "timed_out";
    case OkResult::error: return "error";
    case OkResult::auth_required: return "auth_required";
  }
  return "error";
}

std::string_view name(LiveResult r) {
  switch (r) {
    case LiveResult::delivered: return "delivered";
    case LiveResult::buffered: return "buffered";
    case LiveResult::unmatched: return "unmatched";
    case LiveResult::no_subscribers: return "no_subscribers";
    case LiveResult::duplicate: return "duplicate";
    case LiveResult::expired: return "expired";
    case LiveResult::malformed: return "malformed";
  }
  return "malformed";
}

std::string_view name(CloseCause c) {
  switch (c) {
    case CloseCause::client: return "client";
    case CloseCause::slow_reader: return "slow_reader";
    case CloseCause::idle: return "idle";
    case CloseCause::shutdown: return "shutdown";
    case CloseCause::relay_inactive: return "relay_inactive";
    case CloseCause::error: return "error";
    case CloseCause::ip_blocked: return "ip_blocked";
  }
  return "error";
}

std::string_view name(AuthResult r) {
  switch (r) {
    case AuthResult::accepted: return "accepted";
    case AuthResult::invalid: return "invalid";
    case AuthResult::wrong_relay: return "wrong_relay";
    case AuthResult::expired: return "expired";
    case AuthResult::reused: return "reused";
  }
  return "invalid";
}

std::string_view name(LimitRefusal l) {
  switch (l) {
    case LimitRefusal::subscriptions_per_client: return "max_subscriptions_per_client";
    case LimitRefusal::total_subscriptions: return "max_total_subscriptions";
    case LimitRefusal::message_length: return "max_message_length";
  }
  return "max_message_length";
}

// One handle per enum value (0..count-1) of a family with one label.
template <typename Enum>
std::vector<metrics::Counter> handles(metrics::CounterFamily& family, int count) {
  std::vector<metrics::Counter> out;
  for (int i = 0; i < count; ++i) out.push_back(family.with({name(static_cast<Enum>(i))}));
  return out;
}

template <typename Enum>
std::size_t at(Enum e) {
  return static_cast<std::size_t>(e);
}

}  // namespace

QueryProbe::QueryProbe(metrics::Registry& r)
    : connections_open_(r.gauge("marina_relay_query_connections_open", "Client WebSocket connections open now.").with()),
      connections_total_(handles<ConnectionResult>(
          r.counter("marina_relay_query_connections_total", "WebSocket upgrade attempts by result.", {"result"}), 6)),
      connections_closed_(handles<CloseCause>(
          r.counter("marina_relay_query_connections_closed_total", "Client WebSocket connections ended, by cause.",
                    {"cause"}),
          7)),
      messages_(handles<Verb>(
          r.counter("marina_relay_query_messages_received_total", "Client messages received, by verb.", {"verb"}), 6)),
      subscriptions_open_(r.gauge("marina_relay_query_subscriptions_open", "Open REQ subscriptions.").with()),
      events_sent_stored_(r.counter("marina_relay_query_events_sent_total", "EVENT messages sent to clients, by source.",
                                    {"source"})
                              .with({"stored"})),
      events_sent_live_(r.counter("marina_relay_query_events_sent_total", "EVENT messages sent to clients, by source.",
                                  {"source"})
                            .with({"live"})),
      query_req_(r.histogram("marina_relay_query_stored_query_duration_seconds",
                             "Time of the stored-events query of a REQ or COUNT.", {"verb"}, latency_buckets())
                     .with({"REQ"})),
      query_count_(r.histogram("marina_relay_query_stored_query_duration_seconds",
                               "Time of the stored-events query of a REQ or COUNT.", {"verb"}, latency_buckets())
                       .with({"COUNT"})),
      query_failures_(r.counter("marina_relay_query_stored_query_failures_total",
                                "Stored-events queries that failed (the client got CLOSED \"error:\").")
                          .with()),
      live_events_(handles<LiveResult>(r.counter("marina_relay_query_live_events_total",
                                                 "Events read from marina:events, by what became of them.", {"result"}),
                                       7)),
      fanout_latency_(r.histogram("marina_relay_query_fanout_latency_seconds",
                                  "From an event's marina:events entry time to its delivery to a live subscriber (written to the socket).",
                                  {}, latency_buckets())
                          .with()),
      events_lag_(r.gauge("marina_relay_query_events_stream_lag_seconds",
                          "Age of the last marina:events entry read when it was read.")
                      .with()),
      oks_(handles<OkResult>(
          r.counter("marina_relay_query_oks_total", "OK messages sent for client EVENTs, by result.", {"result"}), 7)),
      ok_latency_(r.histogram("marina_relay_query_ok_latency_seconds", "From an EVENT's receipt to its OK.", {},
                              latency_buckets())
                      .with()),
      replies_unroutable_(r.counter("marina_relay_query_ingest_replies_unroutable_total",
                                    "Outcomes from relay-ingest whose connection or EVENT was gone.")
                              .with()),
      slow_reader_drops_(r.counter("marina_relay_query_slow_reader_drops_total",
                                   "Connections dropped because their outbound queue passed its byte bound.")
                             .with()),
      auths_(handles<AuthResult>(
          r.counter("marina_relay_query_auth_total", "NIP-42 AUTH messages from clients, by outcome.", {"result"}), 5)),
      auth_required_(handles<Verb>(r.counter("marina_relay_query_auth_required_total",
                                             "REQs and COUNTs CLOSED and EVENTs refused \"auth-required:\" (NIP-42), by verb.",
                                             {"verb"}),
                                   6)),
      withheld_stored_(r.counter("marina_relay_query_private_events_withheld_total",
                                 "Direct messages not sent to a connection not authenticated as their author or recipient.",
                                 {"source"})
                           .with({"stored"})),
      withheld_live_(r.counter("marina_relay_query_private_events_withheld_total",
                               "Direct messages not sent to a connection not authenticated as their author or recipient.",
                               {"source"})
                         .with({"live"})),
      limit_refusals_(handles<LimitRefusal>(
          r.counter("marina_relay_query_limit_refusals_total",
                    "Client messages refused by a bound of their relay's configuration, by the key.", {"limit"}),
          3)),
      resumes_(r.counter("marina_relay_query_stream_resumes_total",
                            "Stream consumers that resumed after losing Redis, by stream.", {"stream"})),
      refused_(r.counter("marina_relay_query_events_refused_total",
                         "EVENTs refused by relay-query's quick check (before relay-ingest), by reason.",
                         {"reason"})) {}

void QueryProbe::connection(ConnectionResult result) {
  connections_total_[at(result)].inc();
  if (result == ConnectionResult::accepted) connections_open_.inc();
}

void QueryProbe::connection_closed(CloseCause cause) {
  connections_open_.dec();
  connections_closed_[at(cause)].inc();
  if (cause == CloseCause::slow_reader) slow_reader_drops_.inc();
}

void QueryProbe::message(Verb verb) { messages_[at(verb)].inc(); }

void QueryProbe::stored_query(Verb verb, double seconds) {
  (verb == Verb::count ? query_count_ : query_req_).observe(seconds);
}

void QueryProbe::live_event(LiveResult result) { live_events_[at(result)].inc(); }

void QueryProbe::ok(OkResult result, double seconds) {
  oks_[at(result)].inc();
  ok_latency_.observe(seconds);
}

void QueryProbe::stream_reconnected(std::string_view stream) { resumes_.with({stream}).inc(); }

}  // namespace marina::relay_query
