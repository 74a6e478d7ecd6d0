#include "probe.hpp"

namespace marina::relay_ingest {

namespace {

std::vector<double> size_buckets() { return {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000}; }

// Half a millisecond to about 16 seconds: an event's round trip, a transaction.
std::vector<double> latency_buckets() { return metrics::exponential_buckets(0.0005, 2, 16); }

}  // namespace

IngestProbe::IngestProbe(metrics::Registry& r)
    : events_(r.counter("marina_relay_events_ingested_total", "EVENTs handled by relay-ingest, by outcome.", {"result"})),
      refused_(r.counter("marina_relay_events_refused_total",
                         "EVENTs relay-ingest refused, by the rule that refused them.", {"reason"})),
      latency_(r.histogram("marina_ingest_event_latency_seconds",
                           "From the EVENT reaching relay-query to its outcome being published for the OK.", {},
                           latency_buckets())
                   .with()),
      malformed_(r.counter("marina_ingest_malformed_entries_total",
                           "marina:ingest entries that broke their contract (acked and skipped).")
                     .with()),
      batch_size_(r.histogram("marina_ingest_batch_entries", "Entries per batch read from marina:ingest.", {},
                              size_buckets())
                      .with()),
      commit_seconds_(r.histogram("marina_ingest_commit_duration_seconds",
                                  "Duration of one storage transaction (EventStore::write).", {},
                                  latency_buckets())
                          .with()),
      commit_size_(r.histogram("marina_ingest_commit_events", "Events per storage transaction.", {}, size_buckets())
                       .with()),
      splits_(r.counter("marina_ingest_batch_splits_total",
                        "Transactions that failed because of their data and were split to isolate the culprit.")
                  .with()),
      retries_(r.counter("marina_ingest_retries_total", "Work retried after a transient failure, by stage.", {"stage"})),
      claimed_(r.counter("marina_ingest_claimed_entries_total",
                         "Pending entries claimed from other (presumably dead) consumers.")
                   .with()),
      consumers_removed_(r.counter("marina_ingest_consumers_removed_total",
                                   "Idle consumers with nothing pending removed from the group.")
                             .with()),
      purged_(r.counter("marina_ingest_expired_events_purged_total", "Events deleted after their NIP-40 expiration.")
                  .with()),
      pending_(r.gauge("marina_ingest_stream_pending_entries",
                       "Entries of marina:ingest delivered to a consumer and not acked yet.")
                   .with()),
      oldest_pending_age_(r.gauge("marina_ingest_stream_oldest_pending_age_seconds",
                                  "Age of the oldest pending entry of marina:ingest (0 when none).")
                              .with()),
      undelivered_(r.gauge("marina_ingest_stream_lag_entries",
                           "Entries of marina:ingest not yet delivered to any consumer of the group.")
                       .with()) {}

std::string_view result_label(const Item& item) {
  if (!item.accepted) return "malformed";
  if (*item.accepted) {
    if (item.message.rfind("duplicate:", 0) == 0) return "duplicate";
    return item.ephemeral ? "ephemeral" : "stored";
  }
  const auto colon = item.message.find(':');
  if (colon == std::string::npos || colon == 0) return "error";
  return std::string_view(item.message).substr(0, colon);
}

void IngestProbe::event_done(const Item& item) {
  const std::string_view label = result_label(item);
  events_.with({label}).inc();
  if (item.accepted && !*item.accepted) {
    refused_.with({item.reason.empty() ? std::string_view("other") : item.reason}).inc();
  }
}

void IngestProbe::event_latency(std::chrono::duration<double> d) { latency_.observe(d.count()); }
void IngestProbe::malformed_entry() { malformed_.inc(); }
void IngestProbe::batch_prepared(std::size_t entries) { batch_size_.observe(static_cast<double>(entries)); }
void IngestProbe::commit(std::chrono::duration<double> d, std::size_t events) {
  commit_seconds_.observe(d.count());
  commit_size_.observe(static_cast<double>(events));
}
void IngestProbe::batch_split() { splits_.inc(); }
void IngestProbe::retry(std::string_view stage) { retries_.with({stage}).inc(); }
void IngestProbe::claimed(std::size_t entries) { claimed_.inc(static_cast<double>(entries)); }
void IngestProbe::consumers_removed(std::size_t n) { consumers_removed_.inc(static_cast<double>(n)); }
void IngestProbe::purged(std::size_t events) { purged_.inc(static_cast<double>(events)); }
void IngestProbe::stream_state(double pending, double oldest_age, double undelivered) {
  pending_.set(pending);
  oldest_pending_age_.set(oldest_age);
  undelivered_.set(undelivered);
}

}  // namespace marina::relay_ingest
