#pragma once
// EVENT rate bounds per author pubkey and per client IP, per relay, and per
// relay as a whole (its plan's max_events_per_minute): fixed
// one-minute windows counted in Redis (shared by every replica), so the bound
// holds however many relay-ingest replicas run.
//
// One script call per relay per batch adds up the batch's events for each
// key (INCRBY, with a TTL so a window cleans itself up); each event is then
// judged by its own position in the count: the first `limit` events of a
// window pass, later ones get "rate-limited: ...". Refused events count too
// (a client hammering the relay stays limited).
#include <boost/asio/awaitable.hpp>
#include <cstdint>

#include "item.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay/settings.hpp"

namespace marina::relay_ingest {

class RateLimiter {
 public:
  RateLimiter(redis::Client& redis, const relay::RelayLimits& limits);

  // Refuses the undecided items of `batch` that are over a bound, judged at
  // `now_ms` (unix milliseconds; the window is the minute it falls in).
  // Re-delivered items are neither counted nor judged: their first delivery was.
  // Throws redis errors (the caller retries the batch).
  boost::asio::awaitable<void> apply(Batch& batch, std::int64_t now_ms);

 private:
  redis::Client& redis_;
  std::uint32_t per_pubkey_;
  std::uint32_t per_ip_;
};

}  // namespace marina::relay_ingest
