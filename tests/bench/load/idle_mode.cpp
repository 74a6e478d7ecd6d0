// idle: opens --connections WebSockets that send nothing, holds them for
// --hold seconds and, given --pid, reports that process's resident memory
// before and after (from /proc), per connection.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <fstream>
#include <string>

#include "modes.hpp"
#include "run_support.hpp"

namespace marina::load {

namespace asio = boost::asio;

namespace {

// VmRSS of `pid` in kB; 0 when unknown.
double rss_kb(int pid) {
  if (pid <= 0) return 0;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6));
  }
  return 0;
}

struct Totals {
  std::size_t opened = 0, failed = 0, dropped = 0;
  std::string first_error;
  double rss_before_kb = 0, rss_after_kb = 0;
  double connect_s = 0;
};

// Reads until the connection ends: a server that drops an idle connection is counted.
asio::awaitable<void> watch(std::shared_ptr<WsClient> ws, Totals& t, const bool& holding) {
  try {
    for (;;) co_await ws->read();
  } catch (const std::exception&) {
    if (holding) ++t.dropped;
  }
}

asio::awaitable<void> run(const Options& o, Totals& t, Deadline& deadline) {
  const bool track_rss = o.pid > 0;
  t.rss_before_kb = rss_kb(o.pid);
  const auto start = Clock::now();
  Connected opened = co_await connect_all(o.connections, o.port, o.host, 128);
  t.connect_s = seconds_between(start, Clock::now());
  t.opened = opened.clients.size();
  t.failed = opened.failed;
  t.first_error = opened.first_error;
  bool holding = true;
  auto ex = co_await asio::this_coro::executor;
  for (auto& c : opened.clients) {
    deadline.track(c);
    asio::co_spawn(ex, watch(c, t, holding), asio::detached);
  }
  // Let the server settle (allocations after the handshake), then measure.
  co_await sleep_until(Clock::now() + std::chrono::seconds(1));
  if (track_rss) t.rss_after_kb = rss_kb(o.pid);
  co_await sleep_until(Clock::now() + o.hold);
  holding = false;
  deadline.finish();
}

}  // namespace

Report run_idle(const Options& o) {
  Totals t;
  asio::io_context io(1);
  Deadline deadline(io, o.duration + o.hold);
  asio::co_spawn(io, run(o, t, deadline), asio::detached);
  io.run();

  Report r("idle");
  r.add("connections_requested", static_cast<double>(o.connections))
      .add("connections_open", static_cast<double>(t.opened))
      .add("connections_failed", static_cast<double>(t.failed))
      .add("dropped_while_idle", static_cast<double>(t.dropped))
      .add("connect_s", t.connect_s, "s");
  if (o.pid > 0) {
    const double delta = t.rss_after_kb - t.rss_before_kb;
    r.add("rss_before_kb", t.rss_before_kb, "kB")
        .add("rss_after_kb", t.rss_after_kb, "kB")
        .add("bytes_per_connection", t.opened ? delta * 1024.0 / static_cast<double>(t.opened) : 0, "B");
  }
  if (!t.first_error.empty()) r.add("first_error", t.first_error);
  return r;
}

}  // namespace marina::load
