#pragma once
// NIP-40: deletes stored events whose expiration has passed, every
// purge_interval, at most a bounded number per run so one run never holds
// the database for long. (Reads already hide expired events; this reclaims
// the space.)
#include <boost/asio/awaitable.hpp>

#include "marina/relay_ingest/settings.hpp"
#include "marina/store/event_store.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {

class ExpiryPurger {
 public:
  ExpiryPurger(store::EventStore& store, const IngestSettings& settings, IngestProbe& probe);

  // Until cancelled.
  boost::asio::awaitable<void> run();
  // One run: statements of purge_batch rows while they come back full, at most kMaxStatements.
  boost::asio::awaitable<std::size_t> purge_once();

  static constexpr int kMaxStatements = 10;

 private:
  store::EventStore& store_;
  const IngestSettings& settings_;
  IngestProbe& probe_;
};

}  // namespace marina::relay_ingest
