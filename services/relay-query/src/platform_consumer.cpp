#include "platform_consumer.hpp"

#include <unordered_map>
#include <vector>

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
  std::vector<std::shared_ptr<Session>> sessions;
  for (auto& session : connections_.all())
    if (session->relay_id() == relay_id) sessions.push_back(std::move(session));
  apply(relay_id, std::move(relay), sessions);
  co_return;
}

asio::awaitable<void> PlatformConsumer::directory_reloaded() {
  std::unordered_map<std::string, std::vector<std::shared_ptr<Session>>> by_relay;
  for (auto& session : connections_.all()) by_relay[session->relay_id()].push_back(std::move(session));
  for (const auto& [relay_id, sessions] : by_relay) {
    std::shared_ptr<const store::Relay> relay;
    try {
      relay = co_await directory_.by_id(relay_id);
    } catch (const std::exception& e) {
      log::warn("relay lookup failed", {{"relay", relay_id}, {"error", e.what()}});
      continue;
    }
    apply(relay_id, std::move(relay), sessions);
  }
}

void PlatformConsumer::platform_stream_resumed() { probe_.stream_reconnected("platform"); }

void PlatformConsumer::apply(const std::string& relay_id, std::shared_ptr<const store::Relay> relay,
                             const std::vector<std::shared_ptr<Session>>& sessions) {
  if (!relay || !store::serves_clients(*relay)) {
    for (const auto& session : sessions)
      session->post_close(CloseCause::relay_inactive, std::string(store::kNotActive));
    if (!sessions.empty())
      log::info("closed connections to an inactive relay", {{"relay", relay_id}, {"connections", sessions.size()}});
    return;
  }
  // Its configuration and rules reach every open connection at once.
  for (const auto& session : sessions) session->post_relay_changed(relay);
}

}  // namespace marina::relay_query
