#include "platform_consumer.hpp"

#include <unordered_set>

#include "connection_registry.hpp"
#include "marina/core/log.hpp"
#include "marina/store/serving.hpp"
#include "marina/store/relay_directory.hpp"
#include "query_probe.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

PlatformConsumer::PlatformConsumer(redis::StreamFollower& follower, store::RelayDirectory& directory,
                                   ConnectionRegistry& connections, QueryProbe& probe,
                                   std::chrono::milliseconds reconcile_every)
    : directory_(directory),
      connections_(connections),
      probe_(probe),
      sync_(follower, directory, platform::RelayDirectorySyncOptions{.reconcile_every = reconcile_every}, this) {}

asio::awaitable<void> PlatformConsumer::relay_refreshed(const std::string& relay_id,
                                                        std::shared_ptr<const store::Relay> relay) {
  if (!relay || !store::serves_clients(*relay)) close_connections(relay_id);
  co_return;
}

asio::awaitable<void> PlatformConsumer::directory_reloaded() {
  std::unordered_set<std::string> checked;
  for (const auto& session : connections_.all()) {
    if (!checked.insert(session->relay_id()).second) continue;
    co_await close_if_not_serving(session->relay_id());
  }
}

void PlatformConsumer::platform_stream_resumed() { probe_.stream_reconnected("platform"); }

asio::awaitable<void> PlatformConsumer::close_if_not_serving(const std::string& relay_id) {
  std::shared_ptr<const store::Relay> relay;
  try {
    relay = co_await directory_.by_id(relay_id);
  } catch (const std::exception& e) {
    log::warn("relay lookup failed", {{"relay", relay_id}, {"error", e.what()}});
    co_return;
  }
  if (relay && store::serves_clients(*relay)) co_return;
  close_connections(relay_id);
}

void PlatformConsumer::close_connections(const std::string& relay_id) {
  std::size_t closed = 0;
  for (const auto& session : connections_.all()) {
    if (session->relay_id() != relay_id) continue;
    session->post_close(CloseCause::relay_inactive, std::string(store::kNotActive));
    ++closed;
  }
  if (closed > 0) log::info("closed connections to an inactive relay", {{"relay", relay_id}, {"connections", closed}});
}

}  // namespace marina::relay_query
