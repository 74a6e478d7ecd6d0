#pragma once
// The read side of the pipeline: which entries of marina:ingest this replica
// processes, and when.
//
//  1. At start: create the group (from id 0, so entries added before any
//     consumer existed are not lost), then re-process this consumer's own
//     pending entries (XREADGROUP from id 0): a restart after a crash picks up
//     exactly what it had read and not acked.
//  2. Every claim_interval: entries that dead consumers left pending (Claimer).
//  3. Otherwise new entries: XREADGROUP ... COUNT batch_size BLOCK block >.
//
// Batch N+1 is read and prepared while batch N is stored and batch N-1 is
// published; each stage takes the batches strictly one after the other, so
// commits follow read order and marina:events receives a relay's events in
// commit order, while the database never waits for Redis. stop() ends reading; the batch in hand is
// completed (stored, published, acked) before run() returns.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "backoff.hpp"
#include "batch_pipeline.hpp"
#include "claimer.hpp"

namespace marina::relay_ingest {

class Consumer {
 public:
  // `reader` is a connection of its own (XREADGROUP BLOCK holds it);
  // `redis` carries the non-blocking commands.
  Consumer(redis::Client& reader, redis::Client& redis, BatchPipeline& pipeline, const IngestSettings& settings,
           IngestProbe& probe, const std::atomic<bool>& stop_requested, std::atomic<bool>& running);

  boost::asio::awaitable<void> run();

 private:
  boost::asio::awaitable<void> ensure_group();
  boost::asio::awaitable<Batch> next_prepared();
  boost::asio::awaitable<std::vector<Delivery>> next_deliveries();
  boost::asio::awaitable<void> store(Batch& batch);
  boost::asio::awaitable<void> publish(Batch& batch);

  redis::Client& reader_;
  redis::Client& redis_;
  BatchPipeline& pipeline_;
  const IngestSettings& settings_;
  IngestProbe& probe_;
  Claimer claimer_;
  Backoff backoff_;
  bool own_pending_done_ = false;
  std::string own_pending_cursor_ = "0";
  // Entries read and not acked yet: a claim pass must not hand them out twice.
  std::unordered_set<std::string> in_flight_;
  const std::atomic<bool>& stop_requested_;
  std::atomic<bool>& running_;
};

}  // namespace marina::relay_ingest
