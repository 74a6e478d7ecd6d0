#pragma once
// Stream lag for the metrics: how many entries of marina:ingest are pending
// (read, not acked), how old the oldest of them is, and how many have not
// been delivered to the group at all. Refreshed every lag_interval.
#include <boost/asio/awaitable.hpp>

#include "marina/redis/client.hpp"
#include "marina/relay_ingest/settings.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {

class LagMonitor {
 public:
  LagMonitor(redis::Client& redis, const IngestSettings& settings, IngestProbe& probe);

  // Until cancelled.
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> sample();

 private:
  redis::Client& redis_;
  const IngestSettings& settings_;
  IngestProbe& probe_;
};

}  // namespace marina::relay_ingest
