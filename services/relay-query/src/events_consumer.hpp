#pragma once
// Follows marina:events (every accepted event of every relay, in commit order
// per relay) and feeds each to the live hub, which delivers it to the
// matching subscriptions of its relay on this replica.
#include <boost/asio/awaitable.hpp>

#include "marina/redis/stream_follower.hpp"

namespace marina::relay_query {

class LiveHub;
class QueryProbe;

class EventsConsumer {
 public:
  EventsConsumer(redis::StreamFollower& follower, LiveHub& hub, QueryProbe& probe)
      : follower_(follower), hub_(hub), probe_(probe) {}

  // Until the follower is stopped.
  boost::asio::awaitable<void> run();

  // One entry: decoded, parsed (no signature check: relay-ingest verified
  // it) and published. Public for the tests.
  void handle(const redis::StreamEntry& entry, std::int64_t now_ms);

 private:
  redis::StreamFollower& follower_;
  LiveHub& hub_;
  QueryProbe& probe_;
};

}  // namespace marina::relay_query
