#pragma once
// relay-ingest's metrics, one method per thing that happens, so the pipeline
// reads as what it does and the metric names live in one place.
#include <chrono>
#include <cstddef>
#include <string_view>

#include "item.hpp"
#include "marina/metrics/registry.hpp"

namespace marina::relay_ingest {

class IngestProbe {
 public:
  explicit IngestProbe(metrics::Registry& registry);

  // An item's final outcome, by result (stored, ephemeral, duplicate, invalid,
  // blocked, rate-limited, auth-required, error, ...; see result_label), and
  // a refusal by its reason too (Item::reason: pubkey_blacklisted, pow_target,
  // expired, tenant_suspended, rate_pubkey, ...).
  void event_done(const Item& item);
  // Time from the client's EVENT reaching relay-query to its reply being published.
  void event_latency(std::chrono::duration<double> d);
  void malformed_entry();
  void batch_prepared(std::size_t entries);
  void commit(std::chrono::duration<double> d, std::size_t events);
  void batch_split();
  void retry(std::string_view stage);
  void claimed(std::size_t entries);
  void consumers_removed(std::size_t n);
  void purged(std::size_t events);
  void stream_state(double pending, double oldest_pending_age_seconds, double undelivered);

 private:
  metrics::CounterFamily& events_;
  metrics::CounterFamily& refused_;
  metrics::Histogram latency_;
  metrics::Counter malformed_;
  metrics::Histogram batch_size_;
  metrics::Histogram commit_seconds_;
  metrics::Histogram commit_size_;
  metrics::Counter splits_;
  metrics::CounterFamily& retries_;
  metrics::Counter claimed_;
  metrics::Counter consumers_removed_;
  metrics::Counter purged_;
  metrics::Gauge pending_;
  metrics::Gauge oldest_pending_age_;
  metrics::Gauge undelivered_;
};

// The `result` label of an outcome: "stored" (accepted, newly stored),
// "ephemeral" (accepted, published only), "duplicate", or the refusal's
// NIP-01 prefix ("invalid", "blocked", "rate-limited", ...).
std::string_view result_label(const Item& item);

}  // namespace marina::relay_ingest
