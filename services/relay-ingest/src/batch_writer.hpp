#pragma once
// The storage stage: every item still undecided (and not ephemeral) goes to
// EventStore::write, one transaction for the lot.
//
// - A transient failure (database down, restarting, a serialization
//   conflict) retries the same transaction with backoff until it commits or
//   the service stops; nothing is acked meanwhile.
// - A failure caused by the data (a value the database refuses) splits the
//   transaction in halves, each retried on its own, until the event at fault
//   is alone: it is answered "error: ..." and the others are stored. The
//   halves commit in batch order, so commit order stays batch order.
// - A COMMIT whose outcome is unknown (InDoubt) marks its items: if the retry
//   finds them already stored, they are published all the same.
#include <boost/asio/awaitable.hpp>

#include "item.hpp"
#include "marina/core/backoff.hpp"
#include "marina/relay/settings.hpp"
#include "marina/store/event_store.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {

class BatchWriter {
 public:
  BatchWriter(store::EventStore& store, const relay::RelaySettings& relay, core::Backoff backoff, IngestProbe& probe);

  // Decides every undecided, non-ephemeral item of `batch`.
  boost::asio::awaitable<void> write(Batch& batch);

 private:
  store::EventStore& store_;
  const relay::RelaySettings& relay_;
  core::Backoff backoff_;
  IngestProbe& probe_;
};

}  // namespace marina::relay_ingest
