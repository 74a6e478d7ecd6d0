#pragma once
// Follows marina:events (every accepted event of every relay, in commit order
// per relay) and feeds each to the live hub, which delivers it to the
// matching subscriptions of its relay on this replica, unless the relay's
// NIP-40 configuration hides it as expired (libs/relay expiration.hpp).
#include <boost/asio/awaitable.hpp>

#include "marina/redis/stream_follower.hpp"

namespace marina::store { class RelayDirectory; }

namespace marina::relay_query {

class LiveHub;
class QueryProbe;

class EventsConsumer {
 public:
  EventsConsumer(redis::StreamFollower& follower, LiveHub& hub, const store::RelayDirectory& directory,
                 QueryProbe& probe)
      : follower_(follower), hub_(hub), directory_(directory), probe_(probe) {}

  // Until the follower is stopped.
  boost::asio::awaitable<void> run();

  // One entry: decoded, parsed (no signature check: relay-ingest verified
  // it) and published. Public for the tests.
  void handle(const redis::StreamEntry& entry, std::int64_t now_ms);

 private:
  redis::StreamFollower& follower_;
  LiveHub& hub_;
  const store::RelayDirectory& directory_;
  QueryProbe& probe_;
};

}  // namespace marina::relay_query
