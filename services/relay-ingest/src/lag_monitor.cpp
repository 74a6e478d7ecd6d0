#include "lag_monitor.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest {

namespace {

// The millisecond part of a stream id ("1700000000000-3").
std::int64_t id_ms(const std::string& id) {
  std::int64_t ms = 0;
  std::from_chars(id.data(), id.data() + id.size(), ms);
  return ms;
}

}  // namespace

LagMonitor::LagMonitor(redis::Client& redis, const IngestSettings& settings, IngestProbe& probe)
    : redis_(redis), settings_(settings), probe_(probe) {}

boost::asio::awaitable<void> LagMonitor::run() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    try {
      co_await sample();
    } catch (const redis::Error& e) {
      log::debug("stream lag not sampled", {{"error", e.what()}});
    }
    timer.expires_after(settings_.lag_interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

boost::asio::awaitable<void> LagMonitor::sample() {
  // XPENDING summary: [count, smallest id, greatest id, [[consumer, n]...]].
  const redis::Reply pending = co_await redis_.command("XPENDING", streams::kIngestStream, streams::kIngestGroup);
  if (pending.is_error()) co_return;  // no group yet
  const auto& summary = pending.as_array();
  double count = 0, oldest_age = 0;
  if (summary.size() >= 2 && summary[0].type == redis::Reply::Type::integer) {
    count = static_cast<double>(summary[0].integer);
    if (!summary[1].is_nil()) {
      oldest_age =
          std::max<double>(0, static_cast<double>(core::unix_ms() - id_ms(summary[1].as_string())) / 1000.0);
    }
  }
  // XINFO GROUPS: the group's `lag` (entries not delivered yet; Redis 7+, nil when unknown).
  double undelivered = 0;
  const redis::Reply groups = co_await redis_.command("XINFO", "GROUPS", streams::kIngestStream);
  if (!groups.is_error()) {
    for (const auto& g : groups.as_array()) {
      const auto& f = g.as_array();
      bool ours = false;
      double lag = 0;
      for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
        const std::string& key = f[i].as_string();
        if (key == "name") ours = f[i + 1].as_string() == streams::kIngestGroup;
        if (key == "lag" && f[i + 1].type == redis::Reply::Type::integer) lag = static_cast<double>(f[i + 1].integer);
      }
      if (ours) undelivered = lag;
    }
  }
  probe_.stream_state(count, oldest_age, undelivered);
}

}  // namespace marina::relay_ingest
