// direct: relay-ingest alone. The same signed events are added straight to
// marina:ingest as relay-query would add them (origin = this process), and
// the replies are read from marina:replies:<origin>: throughput and the
// latency from XADD to the reply, without WebSockets or relay-query.
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "events.hpp"
#include "latency.hpp"
#include "marina/redis/client.hpp"
#include "marina/streams/contracts.hpp"
#include "modes.hpp"
#include "run_support.hpp"

namespace marina::load {

namespace asio = boost::asio;

namespace {

struct Totals {
  std::unordered_map<std::string, Clock::time_point> sent_at;
  Latencies latency;
  std::size_t sent = 0, accepted = 0, refused = 0, add_errors = 0, in_flight = 0;
  std::string first_refusal;
  Clock::time_point first_send = Clock::time_point::max(), last_answer{};
  bool stop = false;
};

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

asio::awaitable<void> add_one(redis::Client& redis, redis::Fields fields, Totals& t) {
  try {
    co_await redis.xadd(streams::kIngestStream, fields);
  } catch (const std::exception&) {
    ++t.add_errors;
  }
}

asio::awaitable<void> producer(const Options& o, const std::vector<PreparedEvent>& events, redis::Client& redis,
                               const std::string& origin, Totals& t, Signal& room) {
  auto ex = co_await asio::this_coro::executor;
  const std::size_t window = o.window * o.connections;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < events.size() && !t.stop; ++i) {
    Clock::time_point at;
    if (o.rate > 0) {
      at = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(static_cast<double>(i) / o.rate));
      co_await sleep_until(at);
    } else {
      while (t.in_flight >= window && !t.stop) co_await room.wait();
      at = Clock::now();
    }
    streams::IngestRequest request;
    request.relay_id = o.relay_id;
    request.origin = origin;
    request.connection = i % o.connections;
    request.event_json = events[i].raw;
    request.received_ms = unix_ms();
    request.client_ip = "127.0.0.1";
    t.sent_at[events[i].id] = at;
    t.first_send = std::min(t.first_send, at);
    ++t.sent;
    ++t.in_flight;
    // Not awaited: XADDs are pipelined on the one connection, in this order.
    asio::co_spawn(ex, add_one(redis, request.encode(), t), asio::detached);
  }
}

asio::awaitable<void> consumer(std::size_t expected, redis::Client& reader, const std::string& origin, Totals& t,
                               Signal& room) {
  std::string from = "0-0";  // the stream is new: this run's replies are all of it
  redis::ReadOptions options;
  options.count = 1000;
  options.block = std::chrono::milliseconds(500);
  while (t.accepted + t.refused < expected && !t.stop) {
    std::vector<redis::StreamOffset> offsets{{streams::replies_stream(origin), from}};
    std::vector<redis::StreamBatch> batches;
    try {
      batches = co_await reader.xread(offsets, options);
    } catch (const redis::Unavailable&) {
      continue;  // still connecting
    }
    const auto now = Clock::now();
    for (const auto& b : batches) {
      for (const auto& e : b.entries) {
        from = e.id;
        const auto reply = streams::IngestReply::decode(e.fields);
        const auto it = t.sent_at.find(reply.event_id);
        if (it == t.sent_at.end()) continue;
        t.latency.add(now - it->second);
        t.sent_at.erase(it);  // a repeated reply (after a crash) counts once
        t.last_answer = now;
        --t.in_flight;
        if (reply.accepted) {
          ++t.accepted;
        } else if (t.refused++ == 0) {
          t.first_refusal = reply.message;
        }
      }
    }
    room.notify();
  }
}

asio::awaitable<void> run(const Options& o, const std::vector<PreparedEvent>& events, Totals& t, Deadline& deadline) {
  auto ex = co_await asio::this_coro::executor;
  const auto options = redis::parse_url(o.redis_url);
  redis::Client redis(ex, options);
  redis::Client reader(ex, options);  // XREAD BLOCK holds its connection
  const std::string origin = "load-" + std::to_string(::getpid());
  Signal room(ex);
  deadline.on_expiry([&t, &room] {
    t.stop = true;
    room.notify();
  });
  // Let both connections come up before the clock starts.
  for (int i = 0; i < 200 && !(redis.connected() && reader.connected()); ++i) {
    co_await sleep_until(Clock::now() + std::chrono::milliseconds(10));
  }
  asio::co_spawn(ex, producer(o, events, redis, origin, t, room), asio::detached);
  co_await consumer(events.size(), reader, origin, t, room);
  std::vector<std::string> gone{streams::replies_stream(origin)};
  co_await redis.del(gone);
  deadline.finish();
  redis.close();
  reader.close();
}

}  // namespace

Report run_direct(const Options& o) {
  if (!o.quiet) std::fprintf(stderr, "signing %zu events of %zu bytes...\n", o.count, o.event_bytes);
  const auto keys = make_keys(o.authors, o.seed);
  const auto events = make_events(o.count, keys, o.event_bytes);
  Totals t;
  asio::io_context io(1);
  Deadline deadline(io, o.duration);
  asio::co_spawn(io, run(o, events, t, deadline), asio::detached);
  io.run();

  const double elapsed = t.last_answer > t.first_send ? seconds_between(t.first_send, t.last_answer) : 0;
  const std::size_t answered = t.accepted + t.refused;
  Report r("direct");
  r.add("target_rate", o.rate, "events/s (0 = max)")
      .add("sent", static_cast<double>(t.sent))
      .add("ok_true", static_cast<double>(t.accepted))
      .add("ok_false", static_cast<double>(t.refused))
      .add("unanswered", static_cast<double>(t.sent - answered))
      .add("xadd_errors", static_cast<double>(t.add_errors))
      .add("elapsed_s", elapsed, "s")
      .add("events_per_s", elapsed > 0 ? static_cast<double>(answered) / elapsed : 0, "replies/s")
      .add("reply_p50_ms", t.latency.percentile(50), "ms")
      .add("reply_p90_ms", t.latency.percentile(90), "ms")
      .add("reply_p99_ms", t.latency.percentile(99), "ms")
      .add("reply_max_ms", t.latency.percentile(100), "ms")
      .add("timed_out", deadline.expired() ? 1.0 : 0.0);
  if (!t.first_refusal.empty()) r.add("first_refusal", t.first_refusal);
  return r;
}

}  // namespace marina::load
