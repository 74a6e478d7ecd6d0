#include "platform_consumer.hpp"

#include <unordered_map>

#include "connection_registry.hpp"
#include "host_routing.hpp"
#include "marina/core/log.hpp"
#include "marina/relay/serving.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"
#include "query_probe.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

asio::awaitable<void> PlatformConsumer::run() {
  co_await reconcile();
  auto last_reconcile = Clock::now();
  while (!follower_.stopped()) {
    StreamFollower::Batch batch = co_await follower_.next();
    if (batch.resumed) {
      probe_.stream_reconnected("platform");
      // Facts published while Redis was unreachable may be lost.
      co_await reconcile();
      last_reconcile = Clock::now();
    }
    for (const auto& entry : batch.entries) {
      streams::PlatformFact fact;
      try {
        fact = streams::PlatformFact::decode(entry.fields);
      } catch (const streams::ContractError& e) {
        log::warn("ignoring a malformed platform fact", {{"entry", entry.id}, {"error", e.what()}});
        continue;
      }
      if (!fact.relay_id.empty()) co_await refresh(fact.relay_id);
    }
    if (Clock::now() - last_reconcile >= reconcile_every_) {
      co_await reconcile();
      last_reconcile = Clock::now();
    }
  }
}

asio::awaitable<void> PlatformConsumer::refresh(const std::string& relay_id) {
  try {
    co_await directory_.refresh(relay_id);
  } catch (const std::exception& e) {
    // The periodic reconcile catches up once PostgreSQL answers again.
    log::warn("relay refresh failed", {{"relay", relay_id}, {"error", e.what()}});
    co_return;
  }
  co_await close_if_not_serving(relay_id);
}

asio::awaitable<void> PlatformConsumer::close_if_not_serving(const std::string& relay_id) {
  std::shared_ptr<const store::Relay> relay;
  try {
    relay = co_await directory_.by_id(relay_id);
  } catch (const std::exception& e) {
    log::warn("relay lookup failed", {{"relay", relay_id}, {"error", e.what()}});
    co_return;
  }
  if (relay && relay::serves_clients(*relay)) co_return;
  std::size_t closed = 0;
  for (const auto& session : connections_.all()) {
    if (session->relay_id() != relay_id) continue;
    session->post_close(CloseCause::relay_inactive, std::string(relay::kNotActive));
    ++closed;
  }
  if (closed > 0) log::info("closed connections to an inactive relay", {{"relay", relay_id}, {"connections", closed}});
}

asio::awaitable<void> PlatformConsumer::reconcile() {
  try {
    co_await directory_.load_all();
    log::debug("relay directory reloaded", {{"relays", directory_.size()}});
  } catch (const std::exception& e) {
    log::warn("relay directory reload failed", {{"error", e.what()}});
    co_return;
  }
  // One check per relay that has connections here.
  std::unordered_map<std::string, bool> checked;
  for (const auto& session : connections_.all()) {
    if (!checked.emplace(session->relay_id(), true).second) continue;
    co_await close_if_not_serving(session->relay_id());
  }
}

}  // namespace marina::relay_query
