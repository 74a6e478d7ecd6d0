#pragma once
// What happens to a batch of marina:ingest entries, in three stages so the
// consumer can keep them all busy at once (batch N+1 prepared while batch N
// is stored and batch N-1 published):
//
//   prepare:  decode + parse + id + signature (verify threads)
//             -> relay lookup (unknown/inactive/suspended: "blocked: ...")
//             -> policy (bounds, NIP-40, NIP-70)
//             -> rate limits (Redis)
//             -> ephemeral kinds accepted for publishing only
//   store:    one transaction (EventStore::write), see BatchWriter
//   publish:  marina:events + marina:replies:<origin>, then ack
//
// Each stage handles one batch at a time and batches pass through in read
// order, so commits and publications keep that order. No stage acks what it
// has not finished: an exception (the service stopping) leaves the entries
// pending, to be re-processed.
#include <boost/asio/awaitable.hpp>
#include <vector>

#include "batch_writer.hpp"
#include "item.hpp"
#include "marina/core/backoff.hpp"
#include "marina/store/relay_directory.hpp"
#include "policy.hpp"
#include "probe.hpp"
#include "publisher.hpp"
#include "rate_limiter.hpp"
#include "verifier.hpp"

namespace marina::relay_ingest {

class BatchPipeline {
 public:
  BatchPipeline(store::EventStore& store, store::RelayDirectory& relays, redis::Client& redis,
                const IngestSettings& settings, IngestProbe& probe);

  boost::asio::awaitable<Batch> prepare(std::vector<Delivery> deliveries);
  boost::asio::awaitable<void> store(Batch& batch);
  boost::asio::awaitable<void> publish(const Batch& batch);

 private:
  // Relays, policy and rate limits; throws what the directory or Redis throw.
  boost::asio::awaitable<void> judge(Batch& batch);

  store::RelayDirectory& relays_;
  const IngestSettings& settings_;
  IngestProbe& probe_;
  Verifier verifier_;
  Policy policy_;
  RateLimiter rate_limiter_;
  BatchWriter writer_;
  Publisher publisher_;
  core::Backoff backoff_;
};

}  // namespace marina::relay_ingest
