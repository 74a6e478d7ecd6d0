#pragma once
// The last stage, run only once every item's outcome is durable (committed,
// or decided without storage): accepted events go on marina:events in batch
// (= commit) order, each outcome goes to its origin's marina:replies:<replica>,
// and only then are the batch's entries acked and deleted. Publishing and replying are
// one pipelined round trip, the ack (XACK + XDEL) a second one, so an entry is never acked
// before its reply is in Redis. A transient failure retries what has not
// succeeded yet: the XADDs (relay-query drops repeated events; a repeated
// reply repeats an OK), or only the ack once they went through.
#include <boost/asio/awaitable.hpp>

#include "item.hpp"
#include "marina/core/backoff.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay_ingest/settings.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {

class Publisher {
 public:
  Publisher(redis::Client& redis, const IngestSettings& settings, core::Backoff backoff, IngestProbe& probe);

  boost::asio::awaitable<void> publish(const Batch& batch);

 private:
  boost::asio::awaitable<void> add_all(const Batch& batch);
  boost::asio::awaitable<void> ack_all(const Batch& batch);

  redis::Client& redis_;
  const IngestSettings& settings_;
  core::Backoff backoff_;
  IngestProbe& probe_;
};

}  // namespace marina::relay_ingest
