#pragma once
// Keeps the relay directory current: loads every relay from PostgreSQL, then
// follows marina:platform (its own connection, XREAD BLOCK) and re-reads a
// relay whenever a fact names it, so a suspension applies to the next batch.
// After any gap in following (Redis down), everything is loaded again: the
// stream is a hint, PostgreSQL is the truth.
#include <boost/asio/awaitable.hpp>

#include "backoff.hpp"
#include "marina/redis/client.hpp"
#include "marina/store/relay_directory.hpp"

namespace marina::relay_ingest {

class PlatformFollower {
 public:
  // `reader` is a connection of its own.
  PlatformFollower(redis::Client& reader, store::RelayDirectory& relays, Backoff backoff);

  // Until cancelled.
  boost::asio::awaitable<void> run();

 private:
  // The id of the newest fact now, so the load that follows misses nothing after it.
  boost::asio::awaitable<std::string> newest_id();
  boost::asio::awaitable<void> follow(std::string from);

  redis::Client& reader_;
  store::RelayDirectory& relays_;
  Backoff backoff_;
};

}  // namespace marina::relay_ingest
