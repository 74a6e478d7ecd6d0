#pragma once
// Reads this replica's reply stream (marina:replies:<replica>) and hands each
// EVENT outcome to the connection that sent the EVENT; an outcome for a
// connection that is gone is dropped (counted).
#include <boost/asio/awaitable.hpp>

#include "marina/redis/stream_follower.hpp"

namespace marina::relay_query {

class ConnectionRegistry;
class QueryProbe;

class RepliesConsumer {
 public:
  RepliesConsumer(redis::StreamFollower& follower, ConnectionRegistry& connections, QueryProbe& probe)
      : follower_(follower), connections_(connections), probe_(probe) {}

  // Until the follower is stopped.
  boost::asio::awaitable<void> run();

 private:
  redis::StreamFollower& follower_;
  ConnectionRegistry& connections_;
  QueryProbe& probe_;
};

}  // namespace marina::relay_query
