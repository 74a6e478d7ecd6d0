#pragma once
// Takes over the work of dead consumers: entries of marina:ingest pending
// longer than claim_idle are claimed (XAUTOCLAIM) and re-processed here like
// this consumer's own. Storage is idempotent on (relay, id), so claiming an
// entry that a slow but live consumer still holds is harmless.
//
// After each full pass over the pending list it also removes consumers that
// hold nothing and have been idle longer than consumer_expiry (replicas that
// went away, each restart of one without REPLICA_ID leaves a name behind).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "item.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay_ingest/settings.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {

class Claimer {
 public:
  Claimer(redis::Client& redis, const IngestSettings& settings, IngestProbe& probe);

  // True when a pass is under way or claim_interval has passed since the last one.
  bool due() const;
  // Up to `count` claimed entries (marked re-delivered), continuing the
  // current pass; empty when the pass is over. Throws redis errors.
  boost::asio::awaitable<std::vector<Delivery>> claim(std::size_t count);

 private:
  boost::asio::awaitable<void> remove_expired_consumers();

  redis::Client& redis_;
  const IngestSettings& settings_;
  IngestProbe& probe_;
  std::string cursor_ = "0-0";
  bool in_pass_ = false;
  std::chrono::steady_clock::time_point next_pass_;
};

}  // namespace marina::relay_ingest
