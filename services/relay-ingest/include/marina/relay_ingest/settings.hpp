#pragma once
// relay-ingest's own configuration: how it consumes marina:ingest, how long
// its streams are kept, and its background jobs. The relay bounds it enforces
// come from libs/relay (shared with relay-query).
#include <chrono>
#include <cstddef>
#include <string>

#include "marina/relay/settings.hpp"

namespace marina::core { class Config; }

namespace marina::relay_ingest {

struct IngestSettings {
  // This replica's consumer name in group `ingest`. Stable across restarts
  // (REPLICA_ID, e.g. the pod name) lets a restarted replica re-process its
  // own pending entries at once; otherwise they are claimed after claim_idle.
  std::string consumer;
  std::size_t batch_size = 500;                         // entries per XREADGROUP and per transaction
  // Shortest time between the starts of two commits (0: commit as soon as
  // the previous one ends). See write_loop in src/consumer.cpp.
  std::chrono::milliseconds commit_interval{4};
  std::chrono::milliseconds block{200};                 // XREADGROUP BLOCK; also bounds how fast a stop is noticed
  std::chrono::milliseconds claim_idle{30'000};         // a pending entry idle this long belongs to a dead consumer
  std::chrono::milliseconds claim_interval{5'000};      // how often to look for such entries
  std::chrono::milliseconds consumer_expiry{3'600'000}; // a consumer with nothing pending, idle this long, is removed
  std::size_t events_maxlen = 100'000;                  // MAXLEN ~ of marina:events
  std::size_t replies_maxlen = 10'000;                  // MAXLEN ~ of each marina:replies:<replica>
  std::size_t admin_maxlen = 10'000;                    // MAXLEN ~ of marina:admin (a backlog bound)
  std::chrono::milliseconds retry_min{100};             // backoff after a failed batch (database/Redis down)
  std::chrono::milliseconds retry_max{5'000};
  std::chrono::milliseconds purge_interval{60'000};     // NIP-40 purge of expired events
  std::size_t purge_batch = 1000;                       // events deleted per purge statement
  std::chrono::milliseconds lag_interval{5'000};        // how often the stream lag gauges are refreshed
  std::size_t verify_threads = 1;                       // threads checking ids and signatures (0: the I/O thread)
  relay::RelaySettings relay;                           // domain, URL scheme and the bounds enforced here
};

// Declares REPLICA_ID, INGEST_*, EVENTS_STREAM_MAXLEN, REPLIES_STREAM_MAXLEN,
// EXPIRED_PURGE_* and the RELAY_* settings on `config`.
IngestSettings declare_ingest_settings(core::Config& config);

// hostname-pid: unique per process, for when REPLICA_ID is not set.
std::string default_consumer_name();

}  // namespace marina::relay_ingest
