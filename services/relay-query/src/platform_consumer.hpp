#pragma once
// relay-query's side of marina:platform: the relay directory is kept current
// by platform::RelayDirectorySync (each relay re-read after a fact naming it,
// everything reloaded every reconcile period and after Redis comes back);
// connections to a relay that no longer serves clients are closed, and the
// others are handed their relay as re-read (its configuration and rules).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "marina/platform/relay_directory_sync.hpp"

namespace marina::redis { class StreamFollower; }
namespace marina::store { class RelayDirectory; }

namespace marina::relay_query {

class ConnectionRegistry;
class QueryProbe;
class Session;

class PlatformConsumer : private platform::RelayDirectoryListener {
 public:
  PlatformConsumer(redis::StreamFollower& follower, store::RelayDirectory& directory, ConnectionRegistry& connections,
                   QueryProbe& probe, std::chrono::milliseconds reconcile_every);

  // Loads the directory, then follows the stream until the follower is stopped.
  boost::asio::awaitable<void> run() { return sync_.run(); }

 private:
  // Hands the relay to its connections, or closes them if it no longer serves.
  boost::asio::awaitable<void> relay_refreshed(const std::string& relay_id,
                                               std::shared_ptr<const store::Relay> relay) override;
  // The same for each relay that has connections here.
  boost::asio::awaitable<void> directory_reloaded() override;
  void platform_stream_resumed() override;

  // `sessions` are the relay's connections here; `relay` what the directory holds now.
  void apply(const std::string& relay_id, std::shared_ptr<const store::Relay> relay,
             const std::vector<std::shared_ptr<Session>>& sessions);

  store::RelayDirectory& directory_;
  ConnectionRegistry& connections_;
  QueryProbe& probe_;
  platform::RelayDirectorySync sync_;
};

}  // namespace marina::relay_query
