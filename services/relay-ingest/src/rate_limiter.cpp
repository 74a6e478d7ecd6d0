#include "rate_limiter.hpp"

#include <map>
#include <string>
#include <vector>

#include "marina/nostr/relay_message.hpp"
#include "marina/redis/pipeline.hpp"

namespace marina::relay_ingest {

namespace {

// KEYS: counters; ARGV[1]: TTL in ms; ARGV[i + 1]: the increment of KEYS[i].
// Returns each counter's new value. The TTL is set whenever a key has none,
// so a counter can never be left behind forever.
constexpr std::string_view kAddAll = R"(
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('INCRBY', key, ARGV[i + 1])
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return out)";

constexpr std::int64_t kWindowMs = 60'000;

// One counter and the batch positions it counts, in batch order.
struct Counter {
  bool per_ip = false;
  std::vector<std::size_t> items;
  std::int64_t total = 0;  // after this batch, from Redis
};

struct RelayCounters {
  std::map<std::string, Counter> by_key;  // key -> counter; std::map keeps KEYS and ARGV aligned
};

}  // namespace

RateLimiter::RateLimiter(redis::Client& redis, const relay::RelayLimits& limits)
    : redis_(redis), per_pubkey_(limits.events_per_minute_per_pubkey), per_ip_(limits.events_per_minute_per_ip) {}

boost::asio::awaitable<void> RateLimiter::apply(Batch& batch, std::int64_t now_ms) {
  const std::string window = std::to_string(now_ms / kWindowMs);
  // The relay id in braces is the Redis Cluster hash tag: one relay's counters
  // share a slot, so one script may touch them all.
  std::map<std::string, RelayCounters> relays;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Item& item = batch[i];
    // An owner's import is not a client's traffic (streams::IngestRequest::imported).
    if (item.decided() || item.redelivered || !item.event || item.request->imported) continue;
    const std::string prefix = "marina:rl:{" + item.request->relay_id + "}:";
    auto& counters = relays[item.request->relay_id].by_key;
    counters[prefix + "pk:" + item.event->pubkey_hex() + ":" + window].items.push_back(i);
    if (!item.request->client_ip.empty()) {
      Counter& ip = counters[prefix + "ip:" + item.request->client_ip + ":" + window];
      ip.per_ip = true;
      ip.items.push_back(i);
    }
  }
  if (relays.empty()) co_return;

  std::vector<redis::Command> scripts;
  for (const auto& [relay, r] : relays) {
    redis::Command cmd{"EVAL", std::string(kAddAll), std::to_string(r.by_key.size())};
    for (const auto& [key, c] : r.by_key) cmd.push_back(key);
    cmd.push_back(std::to_string(2 * kWindowMs));  // outlives its minute, whatever the clock skew between replicas
    for (const auto& [key, c] : r.by_key) cmd.push_back(std::to_string(c.items.size()));
    scripts.push_back(std::move(cmd));
  }
  const std::vector<redis::Reply> replies = co_await redis::pipeline(redis_, std::move(scripts));

  std::size_t r = 0;
  for (auto& [relay, counters] : relays) {
    const auto& totals = replies[r++].throw_if_error().as_array();
    if (totals.size() != counters.by_key.size()) throw redis::ProtocolError("rate limit script returned the wrong count");
    std::size_t k = 0;
    for (auto& [key, c] : counters.by_key) {
      const std::int64_t before = totals[k++].as_integer() - static_cast<std::int64_t>(c.items.size());
      const std::int64_t limit = c.per_ip ? per_ip_ : per_pubkey_;
      for (std::size_t j = 0; j < c.items.size(); ++j) {
        Item& item = batch[c.items[j]];
        if (item.decided() || before + static_cast<std::int64_t>(j) + 1 <= limit) continue;
        item.refuse(c.per_ip ? "rate_ip" : "rate_pubkey",
                    nostr::prefixed(nostr::Prefix::rate_limited,
                                    c.per_ip ? "too many events from your IP address, slow down"
                                          : "too many events from this pubkey, slow down"));
      }
    }
  }
}

}  // namespace marina::relay_ingest
