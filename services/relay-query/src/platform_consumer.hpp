#pragma once
// Keeps the relay directory current: reads marina:platform and re-reads a
// relay from PostgreSQL after each fact about it; reloads every relay
// periodically and after Redis comes back (streams are not the source of
// truth). Connections to a relay that is no longer active are closed.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "stream_follower.hpp"

namespace marina::store { class RelayDirectory; }

namespace marina::relay_query {

class ConnectionRegistry;
class QueryProbe;

class PlatformConsumer {
 public:
  PlatformConsumer(StreamFollower& follower, store::RelayDirectory& directory, ConnectionRegistry& connections,
                   QueryProbe& probe, std::chrono::milliseconds reconcile_every)
      : follower_(follower),
        directory_(directory),
        connections_(connections),
        probe_(probe),
        reconcile_every_(reconcile_every) {}

  // Loads the directory, then follows the stream until the follower is stopped.
  boost::asio::awaitable<void> run();

 private:
  // Reloads every relay; closes connections to relays no longer serving.
  boost::asio::awaitable<void> reconcile();
  // Re-reads one relay; closes its connections if it no longer serves.
  boost::asio::awaitable<void> refresh(const std::string& relay_id);
  boost::asio::awaitable<void> close_if_not_serving(const std::string& relay_id);

  StreamFollower& follower_;
  store::RelayDirectory& directory_;
  ConnectionRegistry& connections_;
  QueryProbe& probe_;
  std::chrono::milliseconds reconcile_every_;
};

}  // namespace marina::relay_query
