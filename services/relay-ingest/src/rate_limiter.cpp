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

// Whose events a counter counts.
enum class Scope { pubkey, ip, relay };

// One counter and the batch positions it counts, in batch order.
struct Counter {
  Scope scope = Scope::pubkey;
  std::int64_t limit = 0;
  std::vector<std::size_t> items;
};

relay::EventRefusal refusal(const Counter& c, const Item& item) {
  switch (c.scope) {
    case Scope::pubkey:
      return {"rate_pubkey", nostr::prefixed(nostr::Prefix::rate_limited, "too many events from this pubkey, slow down")};
    case Scope::ip:
      return {"rate_ip", nostr::prefixed(nostr::Prefix::rate_limited, "too many events from your IP address, slow down")};
    case Scope::relay:
      break;
  }
  return {"rate_relay", nostr::prefixed(nostr::Prefix::rate_limited,
                                        "this relay's plan (" + item.relay->plan_limits->name + ") takes at most " +
                                            std::to_string(c.limit) + " events per minute; try again later")};
}

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
    Counter& pubkey = counters[prefix + "pk:" + item.event->pubkey_hex() + ":" + window];
    pubkey.limit = per_pubkey_;
    pubkey.items.push_back(i);
    if (!item.request->client_ip.empty()) {
      Counter& ip = counters[prefix + "ip:" + item.request->client_ip + ":" + window];
      ip.scope = Scope::ip;
      ip.limit = per_ip_;
      ip.items.push_back(i);
    }
    // The relay's plan caps all its clients together (plans.max_events_per_minute).
    if (item.relay && item.relay->plan_limits) {
      Counter& whole = counters[prefix + "relay:" + window];
      whole.scope = Scope::relay;
      whole.limit = item.relay->plan_limits->max_events_per_minute;
      whole.items.push_back(i);
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
      for (std::size_t j = 0; j < c.items.size(); ++j) {
        Item& item = batch[c.items[j]];
        if (item.decided() || before + static_cast<std::int64_t>(j) + 1 <= c.limit) continue;
        item.refuse(refusal(c, item));
      }
    }
  }
}

}  // namespace marina::relay_ingest
