// ingest: N connections publish pre-signed events and wait for each OK.
// With --rate the sends follow a fixed schedule (open loop) and latency is
// measured from the scheduled time, so a slow relay cannot hide its queueing
// by slowing the sender down; without it each connection keeps --window
// EVENTs awaiting their OK.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "events.hpp"
#include "latency.hpp"
#include "modes.hpp"
#include "run_support.hpp"

namespace marina::load {

namespace asio = boost::asio;

namespace {

struct Connection {
  Connection(std::shared_ptr<WsClient> c, asio::any_io_executor ex) : ws(std::move(c)), room(std::move(ex)) {}
  std::shared_ptr<WsClient> ws;
  std::vector<const PreparedEvent*> events;
  std::size_t in_flight = 0;
  std::size_t answered = 0;
  Signal room;
};

struct Totals {
  std::unordered_map<std::string_view, Clock::time_point> sent_at;
  Latencies latency;
  std::size_t sent = 0, accepted = 0, refused = 0, send_errors = 0;
  std::string first_refusal;
  Clock::time_point first_send = Clock::time_point::max(), last_answer{};
};

// ["OK","<64 hex>",true|false,"<message>"]
bool parse_ok(std::string_view msg, std::string_view& id, bool& accepted, std::string_view& text) {
  if (msg.size() < 7 + 64 + 2 || msg.substr(0, 7) != R"(["OK",")") return false;
  id = msg.substr(7, 64);
  accepted = msg.substr(7 + 64 + 2, 4) == "true";
  const auto quote = msg.find('"', 7 + 64 + 2);
  text = quote == std::string_view::npos ? std::string_view{} : msg.substr(quote + 1, msg.size() - quote - 3);
  return true;
}

asio::awaitable<void> sender(const Options& o, Connection& c, Totals& t, Deadline& deadline, Clock::time_point start,
                             double interval_s) {
  for (std::size_t k = 0; k < c.events.size() && !deadline.expired(); ++k) {
    Clock::time_point at;
    if (o.rate > 0) {
      at = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_s * k));
      co_await sleep_until(at);
    } else {
      while (c.in_flight >= o.window && !deadline.expired()) co_await c.room.wait();
      at = Clock::now();
    }
    if (deadline.expired()) break;
    t.sent_at[c.events[k]->id] = at;
    t.first_send = std::min(t.first_send, at);
    ++c.in_flight;
    ++t.sent;
    try {
      co_await c.ws->send(c.events[k]->message);
    } catch (const std::exception&) {
      ++t.send_errors;
      co_return;
    }
  }
}

asio::awaitable<void> reader(Connection& c, Totals& t, WaitGroup& group) {
  try {
    while (c.answered < c.events.size()) {
      const std::string msg = co_await c.ws->read();
      std::string_view id, text;
      bool accepted = false;
      if (!parse_ok(msg, id, accepted, text)) continue;
      const auto it = t.sent_at.find(id);
      if (it == t.sent_at.end()) continue;
      const auto now = Clock::now();
      t.latency.add(now - it->second);
      t.last_answer = now;
      ++c.answered;
      --c.in_flight;
      c.room.notify();
      if (accepted) {
        ++t.accepted;
      } else if (t.refused++ == 0) {
        t.first_refusal = std::string(text);
      }
    }
  } catch (const std::exception&) {
    // The connection ended (the deadline aborts it): what was answered counts.
  }
  c.room.notify();
  group.done();
}

asio::awaitable<void> run(const Options& o, const std::vector<PreparedEvent>& events, Totals& t, Deadline& deadline,
                          std::size_t& connected, std::string& connect_error) {
  auto ex = co_await asio::this_coro::executor;
  Connected opened = co_await connect_all(o.connections, o.port, o.host);
  connected = opened.clients.size();
  connect_error = opened.first_error;
  if (opened.clients.empty()) co_return;
  std::vector<std::unique_ptr<Connection>> conns;
  for (auto& client : opened.clients) {
    deadline.track(client);
    conns.push_back(std::make_unique<Connection>(client, ex));
  }
  for (std::size_t i = 0; i < events.size(); ++i) conns[i % conns.size()]->events.push_back(&events[i]);
  t.sent_at.reserve(events.size());

  // Each connection sends every connections/rate seconds, the connections
  // staggered evenly inside that interval.
  const double interval = o.rate > 0 ? static_cast<double>(conns.size()) / o.rate : 0;
  const auto start = Clock::now() + std::chrono::milliseconds(20);
  WaitGroup readers(ex);
  readers.add(conns.size());
  for (std::size_t i = 0; i < conns.size(); ++i) {
    auto& c = *conns[i];
    const auto offset = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(interval * static_cast<double>(i) / static_cast<double>(conns.size())));
    asio::co_spawn(ex, sender(o, c, t, deadline, start + offset, interval), asio::detached);
    asio::co_spawn(ex, reader(c, t, readers), asio::detached);
  }
  co_await readers.wait();
  deadline.finish();
}

}  // namespace

Report run_ingest(const Options& o) {
  if (!o.quiet) std::fprintf(stderr, "signing %zu events of %zu bytes...\n", o.count, o.event_bytes);
  const auto keys = make_keys(o.authors, o.seed);
  const auto events = make_events(o.count, keys, o.event_bytes, o.span_days * 86400);

  Totals t;
  std::size_t connected = 0;
  std::string connect_error;
  asio::io_context io(1);
  Deadline deadline(io, o.duration);
  asio::co_spawn(io, run(o, events, t, deadline, connected, connect_error), asio::detached);
  io.run();

  const double elapsed = t.last_answer > t.first_send ? seconds_between(t.first_send, t.last_answer) : 0;
  const std::size_t answered = t.accepted + t.refused;
  Report r("ingest");
  r.add("connections", static_cast<double>(connected))
      .add("target_rate", o.rate, "events/s (0 = max)")
      .add("sent", static_cast<double>(t.sent))
      .add("ok_true", static_cast<double>(t.accepted))
      .add("ok_false", static_cast<double>(t.refused))
      .add("unanswered", static_cast<double>(t.sent - answered))
      .add("elapsed_s", elapsed, "s")
      .add("events_per_s", elapsed > 0 ? static_cast<double>(answered) / elapsed : 0, "OKs/s")
      .add("ok_p50_ms", t.latency.percentile(50), "ms")
      .add("ok_p90_ms", t.latency.percentile(90), "ms")
      .add("ok_p99_ms", t.latency.percentile(99), "ms")
      .add("ok_max_ms", t.latency.percentile(100), "ms")
      .add("timed_out", deadline.expired() ? 1.0 : 0.0);
  if (!t.first_refusal.empty()) r.add("first_refusal", t.first_refusal);
  if (!connect_error.empty()) r.add("connect_error", connect_error);
  return r;
}

}  // namespace marina::load
