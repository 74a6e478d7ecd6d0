// query: REQ -> EOSE latency. Each connection sends its share of --count REQs
// one after the other, cycling through the filters (one filter per REQ), and
// closes each subscription after its EOSE.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include "events.hpp"
#include "latency.hpp"
#include "marina/nostr/keys.hpp"
#include "modes.hpp"
#include "run_support.hpp"

namespace marina::load {

namespace asio = boost::asio;

namespace {

struct PerFilter {
  Latencies latency;
  std::size_t requests = 0, events = 0, closed = 0;
  std::string first_closed;
};

struct Totals {
  std::vector<PerFilter> filters;
  std::size_t connection_errors = 0;
  Clock::time_point start, end;
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

asio::awaitable<void> client_loop(const Options& o, std::shared_ptr<WsClient> ws, std::size_t first, std::size_t step,
                                  Totals& t, Deadline& deadline, WaitGroup& group) {
  try {
    for (std::size_t n = first; n < o.count && !deadline.expired(); n += step) {
      const std::size_t f = n % o.filters.size();
      const std::string sub = "q" + std::to_string(n);
      const std::string req = "[\"REQ\",\"" + sub + "\"," + o.filters[f] + "]";
      const std::string eose = "[\"EOSE\",\"" + sub + "\"]";
      const std::string event_prefix = "[\"EVENT\",\"" + sub + "\",";
      const std::string closed_prefix = "[\"CLOSED\",\"" + sub + "\",";
      PerFilter& pf = t.filters[f];
      const auto sent = Clock::now();
      co_await ws->send(req);
      for (;;) {
        const std::string msg = co_await ws->read();
        if (msg == eose) {
          pf.latency.add(Clock::now() - sent);
          ++pf.requests;
          break;
        }
        if (starts_with(msg, event_prefix)) {
          ++pf.events;
        } else if (starts_with(msg, closed_prefix)) {
          if (pf.closed++ == 0) pf.first_closed = msg;
          break;
        }
      }
      co_await ws->send("[\"CLOSE\",\"" + sub + "\"]");
    }
  } catch (const std::exception&) {
    ++t.connection_errors;
  }
  group.done();
}

asio::awaitable<void> run(const Options& o, Totals& t, Deadline& deadline, std::string& connect_error) {
  auto ex = co_await asio::this_coro::executor;
  Connected opened = co_await connect_all(o.connections, o.port, o.host);
  connect_error = opened.first_error;
  WaitGroup group(ex);
  group.add(opened.clients.size());
  t.start = Clock::now();
  for (std::size_t i = 0; i < opened.clients.size(); ++i) {
    deadline.track(opened.clients[i]);
    asio::co_spawn(ex, client_loop(o, opened.clients[i], i, opened.clients.size(), t, deadline, group), asio::detached);
  }
  co_await group.wait();
  t.end = Clock::now();
  deadline.finish();
}

// "@authors:N" -> ["<hex>",...] of the first N keys of --seed.
std::string expand(const std::string& filter, const Options& o) {
  const std::string token = "@authors:";
  const auto at = filter.find(token);
  if (at == std::string::npos) return filter;
  std::size_t end = at + token.size();
  while (end < filter.size() && filter[end] >= '0' && filter[end] <= '9') ++end;
  const std::size_t n = std::stoul(filter.substr(at + token.size(), end - at - token.size()));
  std::string list = "[";
  for (const auto& key : make_keys(n, o.seed)) list += (list.size() > 1 ? ",\"" : "\"") + nostr::public_key(key).hex() + "\"";
  // Also accept the token written as a JSON string: "@authors:10".
  std::size_t from = at, to = end;
  if (from > 0 && filter[from - 1] == '"' && to < filter.size() && filter[to] == '"') {
    --from;
    ++to;
  }
  return filter.substr(0, from) + list + "]" + filter.substr(to);
}

}  // namespace

Report run_query(const Options& given) {
  Options o = given;
  for (auto& f : o.filters) f = expand(f, o);
  Totals t;
  t.filters.resize(o.filters.size());
  std::string connect_error;
  asio::io_context io(1);
  Deadline deadline(io, o.duration);
  asio::co_spawn(io, run(o, t, deadline, connect_error), asio::detached);
  io.run();

  Report r("query");
  std::size_t total = 0;
  for (auto& f : t.filters) total += f.requests;
  const double elapsed = t.end > t.start ? seconds_between(t.start, t.end) : 0;
  r.add("connections", static_cast<double>(o.connections))
      .add("requests", static_cast<double>(total))
      .add("requests_per_s", elapsed > 0 ? static_cast<double>(total) / elapsed : 0, "REQ/s");
  for (std::size_t i = 0; i < t.filters.size(); ++i) {
    auto& f = t.filters[i];
    const std::string p = "f" + std::to_string(i) + "_";
    r.add(p + "filter", given.filters[i])
        .add(p + "requests", static_cast<double>(f.requests))
        .add(p + "events_per_req", f.requests ? static_cast<double>(f.events) / static_cast<double>(f.requests) : 0)
        .add(p + "eose_p50_ms", f.latency.percentile(50), "ms")
        .add(p + "eose_p99_ms", f.latency.percentile(99), "ms")
        .add(p + "eose_max_ms", f.latency.percentile(100), "ms");
    if (f.closed) r.add(p + "closed", static_cast<double>(f.closed)).add(p + "first_closed", f.first_closed);
  }
  r.add("connection_errors", static_cast<double>(t.connection_errors)).add("timed_out", deadline.expired() ? 1.0 : 0.0);
  if (!connect_error.empty()) r.add("connect_error", connect_error);
  return r;
}

}  // namespace marina::load
