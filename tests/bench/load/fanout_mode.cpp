// fanout: --connections x --subscriptions live subscriptions, subscription j
// of connection c following author (c * S + j) mod --authors, so each
// published event is delivered to (C * S / authors) subscriptions;
// --publishers more connections publish --count events at --rate, in turn. Latency is from the
// publisher's (scheduled) send to each delivery, on one clock.
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

struct Totals {
  std::unordered_map<std::string_view, Clock::time_point> sent_at;
  Latencies latency;
  std::size_t subscribed = 0, closed = 0, expected = 0, delivered = 0, accepted = 0, refused = 0;
  std::string first_closed, first_refusal;
  bool publishing_done = false;
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The id of an ["EVENT","<sub>",{..."id":"<hex>"...}] message.
std::string_view delivered_id(std::string_view msg) {
  const auto at = msg.find(R"("id":")");
  if (at == std::string_view::npos || at + 6 + 64 > msg.size()) return {};
  return msg.substr(at + 6, 64);
}

asio::awaitable<void> subscriber(const Options& o, std::shared_ptr<WsClient> ws, std::size_t conn,
                                 const std::vector<std::string>& author_hex, Totals& t, WaitGroup& subscribed) {
  bool counted = false;
  try {
    for (std::size_t j = 0; j < o.subscriptions; ++j) {
      const std::string& pk = author_hex[(conn * o.subscriptions + j) % author_hex.size()];
      co_await ws->send(R"(["REQ","s)" + std::to_string(j) + R"(",{"authors":[")" + pk + R"("],"kinds":[1],"limit":0}])");
    }
    std::size_t eose = 0;
    for (;;) {
      const std::string msg = co_await ws->read();
      if (starts_with(msg, R"(["EOSE",)")) {
        ++t.subscribed;
        if (++eose == o.subscriptions) {
          counted = true;
          subscribed.done();
        }
      } else if (starts_with(msg, R"(["EVENT",)")) {
        const auto it = t.sent_at.find(delivered_id(msg));
        if (it == t.sent_at.end()) continue;
        t.latency.add(Clock::now() - it->second);
        ++t.delivered;
      } else if (starts_with(msg, R"(["CLOSED",)")) {
        if (t.closed++ == 0) t.first_closed = msg;
        if (++eose == o.subscriptions) {
          counted = true;
          subscribed.done();
        }
      }
    }
  } catch (const std::exception&) {
    // Aborted at the end of the run.
  }
  if (!counted) subscribed.done();
}

asio::awaitable<void> publisher_reader(std::shared_ptr<WsClient> ws, Totals& t) {
  try {
    for (;;) {
      const std::string msg = co_await ws->read();
      if (!starts_with(msg, R"(["OK",)")) continue;
      if (msg.find(",true,") != std::string::npos) {
        ++t.accepted;
      } else if (t.refused++ == 0) {
        t.first_refusal = msg;
      }
    }
  } catch (const std::exception&) {
  }
}

asio::awaitable<void> run(const Options& o, const std::vector<PreparedEvent>& events,
                          const std::vector<std::string>& author_hex, Totals& t, Deadline& deadline,
                          std::size_t& connected, std::string& connect_error) {
  auto ex = co_await asio::this_coro::executor;
  Connected opened = co_await connect_all(o.connections + o.publishers, o.port, o.host);
  connected = opened.clients.size();
  connect_error = opened.first_error;
  if (opened.clients.size() <= o.publishers) co_return;
  for (auto& c : opened.clients) deadline.track(c);
  std::vector<std::shared_ptr<WsClient>> publishers(opened.clients.end() - static_cast<std::ptrdiff_t>(o.publishers),
                                                    opened.clients.end());
  opened.clients.resize(opened.clients.size() - o.publishers);

  // How many subscriptions follow each author: an event's expected deliveries.
  std::vector<std::size_t> followers(author_hex.size(), 0);
  for (std::size_t c = 0; c < opened.clients.size(); ++c)
    for (std::size_t j = 0; j < o.subscriptions; ++j) ++followers[(c * o.subscriptions + j) % author_hex.size()];

  WaitGroup subscribed(ex);
  subscribed.add(opened.clients.size());
  for (std::size_t c = 0; c < opened.clients.size(); ++c) {
    asio::co_spawn(ex, subscriber(o, opened.clients[c], c, author_hex, t, subscribed), asio::detached);
  }
  co_await subscribed.wait();
  if (!o.quiet) std::fprintf(stderr, "%zu subscriptions live; publishing\n", t.subscribed);

  for (auto& p : publishers) asio::co_spawn(ex, publisher_reader(p, t), asio::detached);
  const auto start = Clock::now();
  const double rate = o.rate > 0 ? o.rate : 1000;
  t.sent_at.reserve(events.size());
  for (std::size_t i = 0; i < events.size() && !deadline.expired(); ++i) {
    const auto at = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(static_cast<double>(i) / rate));
    co_await sleep_until(at);
    t.sent_at[events[i].id] = at;
    t.expected += followers[events[i].author];
    try {
      co_await publishers[i % publishers.size()]->send(events[i].message);
    } catch (const std::exception&) {
      break;
    }
  }
  t.publishing_done = true;
  // Deliveries still on their way: wait for them, at most 5 seconds.
  const auto grace_end = Clock::now() + std::chrono::seconds(5);
  while (t.delivered < t.expected && Clock::now() < grace_end && !deadline.expired()) {
    co_await sleep_until(Clock::now() + std::chrono::milliseconds(20));
  }
  deadline.finish();
}

}  // namespace

Report run_fanout(const Options& o) {
  const auto keys = make_keys(o.authors, o.seed);
  std::vector<std::string> author_hex;
  for (const auto& k : keys) author_hex.push_back(nostr::public_key(k).hex());
  if (!o.quiet) std::fprintf(stderr, "signing %zu events of %zu bytes...\n", o.count, o.event_bytes);
  const auto events = make_events(o.count, keys, o.event_bytes);

  Totals t;
  std::size_t connected = 0;
  std::string connect_error;
  asio::io_context io(1);
  Deadline deadline(io, o.duration);
  asio::co_spawn(io, run(o, events, author_hex, t, deadline, connected, connect_error), asio::detached);
  io.run();

  Report r("fanout");
  r.add("connections", static_cast<double>(connected))
      .add("subscriptions", static_cast<double>(t.subscribed))
      .add("rate", o.rate > 0 ? o.rate : 1000, "events/s")
      .add("published", static_cast<double>(t.sent_at.size()))
      .add("ok_true", static_cast<double>(t.accepted))
      .add("ok_false", static_cast<double>(t.refused))
      .add("deliveries_expected", static_cast<double>(t.expected))
      .add("deliveries", static_cast<double>(t.delivered))
      .add("delivery_p50_ms", t.latency.percentile(50), "ms")
      .add("delivery_p90_ms", t.latency.percentile(90), "ms")
      .add("delivery_p99_ms", t.latency.percentile(99), "ms")
      .add("delivery_max_ms", t.latency.percentile(100), "ms")
      .add("timed_out", deadline.expired() ? 1.0 : 0.0);
  if (t.closed) r.add("subscriptions_closed", static_cast<double>(t.closed)).add("first_closed", t.first_closed);
  if (!t.first_refusal.empty()) r.add("first_refusal", t.first_refusal);
  if (!connect_error.empty()) r.add("connect_error", connect_error);
  return r;
}

}  // namespace marina::load
