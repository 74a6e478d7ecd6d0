#include "presence_reporter.hpp"

#include "connection_registry.hpp"
#include "marina/asio/retry.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/pipeline.hpp"
#include "marina/streams/presence.hpp"

namespace marina::relay_query {

namespace {

// Replicas silent this long are taken out of the index (their keys expired
// long before); readers ignore stale ones anyway, this only bounds the set.
constexpr std::chrono::hours kForgetReplicasAfter{1};

}  // namespace

boost::asio::awaitable<void> report_presence(const ConnectionRegistry& connections, redis::Client& redis,
                                             std::string replica_id, std::chrono::milliseconds every) {
  const std::string key = streams::presence_key(replica_id);
  const std::string index(streams::kPresenceIndex);
  for (;;) {
    streams::PresenceReport report;
    for (const auto& c : connections.relay_counts()) report.relays.push_back({c.relay_id, c.connections, c.subscriptions});
    const std::int64_t now = core::unix_ms();
    std::vector<redis::Command> commands;
    // The key outlives three intervals: a reader's freshness bound decides.
    commands.push_back({"SET", key, report.encode(), "PX", std::to_string(3 * every.count())});
    commands.push_back({"ZADD", index, std::to_string(now), replica_id});
    commands.push_back({"ZREMRANGEBYSCORE", index, "-inf",
                        "(" + std::to_string(now - std::chrono::milliseconds(kForgetReplicasAfter).count())});
    try {
      for (const redis::Reply& r : co_await redis::pipeline(redis, std::move(commands))) r.throw_if_error();
    } catch (const redis::Error& e) {
      log::warn("reporting presence failed; trying again next interval", {{"error", e.what()}});
    }
    co_await coro::sleep_for(every);
  }
}

}  // namespace marina::relay_query
