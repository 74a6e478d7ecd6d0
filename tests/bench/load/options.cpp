#include "options.hpp"

#include <charconv>
#include <stdexcept>
#include <string_view>

namespace marina::load {

namespace {

template <typename T>
T number(std::string_view name, std::string_view text, T min, T max) {
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
    throw std::invalid_argument(std::string(name) + ": expected a number in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "], got '" + std::string(text) + "'");
  }
  return v;
}

bool loopback_url(const std::string& url) {
  return url.rfind("redis://127.0.0.1:", 0) == 0 || url.rfind("redis://localhost:", 0) == 0;
}

}  // namespace

const char* usage() {
  return R"(usage: marina-load <mode> --port P [options]

modes:
  ingest   N connections publish pre-signed kind-1 events (EVENT -> OK):
           events/s and EVENT->OK latency
  direct   the same load added straight to marina:ingest (no relay-query):
           needs --redis and --relay-id; reply latency from marina:replies
  query    REQ -> EOSE latency for each --filter, repeated --count times
  fanout   --connections x --subscriptions live subscriptions (each follows
           one of --authors), one publisher at --rate: event -> delivery latency
  idle     open --connections idle WebSockets, hold them --hold seconds;
           with --pid, report that process's RSS per connection
  ndjson   no load: print --count signed events, one JSON per line, oldest
           first, created over the last --span-days days (test data for
           imports; connects to nothing)

options:
  --port P            127.0.0.1:P (nginx or relay-query); required except for direct
  --host H            Host header, i.e. the relay (default bench.relay.localhost)
  --connections N     (default 10)          --rate R   events/s in total, 0 = max (default 0)
  --count N           events or REQs (default 10000, at most 1000000)
  --duration S        bound of the timed part in seconds (default 30, at most 600)
  --event-bytes B     JSON size of each event (default 600)
  --authors K         signing keys (default 100)   --seed S   keys derive from S (default bench)
  --window W          EVENTs awaiting OK per connection at rate 0 (default 32)
  --filter JSON       query filter, repeatable; "@authors:N" in it becomes
                      the JSON array of the first N authors' pubkeys (--seed)
  --subscriptions S   fanout: per connection (default 10)
  --publishers P      fanout: connections publishing in turn (default 4)
  --hold S            idle: seconds to hold (default 5)   --pid P   idle: RSS of P
  --redis URL         direct: redis://127.0.0.1:<port>    --relay-id UUID   direct
  --span-days D       ndjson, ingest: created_at spread over D days up to now
                      (default 0: all created now)
  --quiet             print only the JSON summary line
)";
}

Options parse_options(int argc, char** argv) {
  if (argc < 2) throw std::invalid_argument("no mode given");
  Options o;
  o.mode = argv[1];
  if (o.mode != "ingest" && o.mode != "direct" && o.mode != "query" && o.mode != "fanout" && o.mode != "idle" &&
      o.mode != "ndjson") {
    throw std::invalid_argument("unknown mode '" + o.mode + "'");
  }
  for (int i = 2; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--quiet") {
      o.quiet = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
    const std::string_view v = argv[++i];
    if (flag == "--port") o.port = number<std::uint16_t>(flag, v, 1, 65535);
    else if (flag == "--host") o.host = v;
    else if (flag == "--connections") o.connections = number<std::size_t>(flag, v, 1, 20000);
    else if (flag == "--rate") o.rate = number<std::size_t>(flag, v, 0, 1000000);
    else if (flag == "--count") o.count = number<std::size_t>(flag, v, 1, 1000000);
    else if (flag == "--duration") o.duration = std::chrono::seconds(number<int>(flag, v, 1, 600));
    else if (flag == "--event-bytes") o.event_bytes = number<std::size_t>(flag, v, 400, 65536);
    else if (flag == "--authors") o.authors = number<std::size_t>(flag, v, 1, 100000);
    else if (flag == "--seed") o.seed = v;
    else if (flag == "--window") o.window = number<std::size_t>(flag, v, 1, 100000);
    else if (flag == "--filter") o.filters.emplace_back(v);
    else if (flag == "--subscriptions") o.subscriptions = number<std::size_t>(flag, v, 1, 1000);
    else if (flag == "--publishers") o.publishers = number<std::size_t>(flag, v, 1, 1000);
    else if (flag == "--hold") o.hold = std::chrono::seconds(number<int>(flag, v, 0, 600));
    else if (flag == "--pid") o.pid = number<int>(flag, v, 1, 1 << 30);
    else if (flag == "--redis") o.redis_url = v;
    else if (flag == "--relay-id") o.relay_id = v;
    else if (flag == "--span-days") o.span_days = number<std::int64_t>(flag, v, 0, 36500);
    else throw std::invalid_argument("unknown option " + std::string(flag));
  }
  if (o.mode == "direct") {
    if (!loopback_url(o.redis_url)) throw std::invalid_argument("direct needs --redis redis://127.0.0.1:<port>");
    if (o.relay_id.empty()) throw std::invalid_argument("direct needs --relay-id");
  } else if (o.port == 0 && o.mode != "ndjson") {
    throw std::invalid_argument("--port is required");
  }
  if (o.mode == "query" && o.filters.empty()) throw std::invalid_argument("query needs at least one --filter");
  return o;
}

}  // namespace marina::load
