// marina::store against a relay with 1,000,000 stored events (beside two
// other relays' 100,000 each): latency of the REQ shapes issue #4 sets
// targets for (p50 < 2 ms, p99 < 10 ms for the whole REQ->EOSE path), and
// write throughput in batches of 500 signed kind-1 events of ~650 bytes.
//
//   MARINA_BENCH_DATABASE_URL=postgresql://... store_bench
//
// The database is migrated, and the big relay loaded (generated rows, see
// tests/store/synthetic_events.hpp) once: later runs find it and start at
// once. Latencies are measured per call around EventStore::query (pool hop,
// one statement, rows back) and reported as p50_us / p99_us counters.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/pg/migrate.hpp"
#include "marina/pg/pool.hpp"
#include "marina/store/event_store.hpp"
#include "marina/testing/run.hpp"
#include "synthetic_events.hpp"

namespace {

using boost::asio::awaitable;
using Clock = std::chrono::steady_clock;
using marina::store::testing::insert_synthetic_events;
using marina::store::testing::synthetic_author;

// MARINA_BENCH_EVENTS overrides the big relay's size (and scales the
// neighbours), e.g. 0 to measure writes alone on an empty database.
const std::int64_t kEvents = [] {
  const char* n = std::getenv("MARINA_BENCH_EVENTS");
  return n != nullptr && *n != '\0' ? std::stoll(n) : std::int64_t{1000000};
}();
const std::int64_t kNeighbourEvents = kEvents / 10;
constexpr int kAuthors = 1000;
constexpr std::int64_t kFirstCreatedAt = 1600000000;
const std::string kRelay = "00000000-0000-4000-8000-000000000001";
const std::string kNeighbours[] = {"00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"};
const std::string kWriteRelay = "00000000-0000-4000-8000-000000000004";

const char* database_url() {
  const char* url = std::getenv("MARINA_BENCH_DATABASE_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

// Rows of `relay` already there; tops it up to `want` in chunks.
void load(pqxx::connection& conn, const std::string& relay, std::int64_t want) {
  std::int64_t have;
  {
    pqxx::nontransaction tx(conn);
    have = tx.exec_params1("SELECT count(*) FROM events WHERE relay_id = $1::uuid", relay)[0].as<std::int64_t>();
  }
  if (have >= want || want == 0) return;
  if (have > 0) {
    // A load that died half way: start the relay over rather than guess.
    pqxx::work tx(conn);
    tx.exec_params("DELETE FROM events WHERE relay_id = $1::uuid", relay);
    tx.exec_params("DELETE FROM event_tags WHERE relay_id = $1::uuid", relay);
    tx.commit();
  }
  std::cerr << "store_bench: loading " << want << " events into relay " << relay << " (once)" << std::flush;
  for (std::int64_t from = 0; from < want; from += 50000) {
    insert_synthetic_events(conn, relay, from, std::min(want, from + 50000), kAuthors, kFirstCreatedAt);
    std::cerr << "." << std::flush;
  }
  std::cerr << "\n";
  pqxx::nontransaction tx(conn);
  // What autovacuum does in steady state: statistics, and the visibility map.
  tx.exec("VACUUM ANALYZE events");
  tx.exec("VACUUM ANALYZE event_tags");
}

marina::pg::Pool* pool() {
  static marina::pg::Pool* instance = [] () -> marina::pg::Pool* {
    const char* url = database_url();
    if (url == nullptr) return nullptr;
    {
      pqxx::connection conn(url);
      const char* source = std::getenv("MARINA_SOURCE_DIR");
      const std::filesystem::path root = source ? source : MARINA_SOURCE_DIR_DEFAULT;
      marina::pg::migrate(conn, marina::pg::load_migrations(root / "migrations"));
      load(conn, kRelay, kEvents);
      for (const auto& neighbour : kNeighbours) load(conn, neighbour, kNeighbourEvents);
    }
    marina::pg::PoolOptions o;
    o.url = url;
    o.size = 4;
    return new marina::pg::Pool(o);
  }();
  return instance;
}

// CPU seconds used so far by this process (all threads: the pool's threads
// do the libpq work) and by the server's backends of the bench database (read
// from /proc: the server must run on this machine; 0 when it cannot be read).
// Wall time on a shared machine measures the neighbours too; CPU time says
// what the work itself costs.
struct CpuTime {
  double client = 0;
  double server = 0;
};

CpuTime cpu_now() {
  CpuTime t;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  t.client = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
             static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  pqxx::connection conn(database_url());
  pqxx::nontransaction tx(conn);
  const auto rows = tx.exec(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
      "AND backend_type = 'client backend'");
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& row : rows) {
    std::ifstream stat("/proc/" + std::string(row[0].c_str()) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // Fields after the command name (which may hold spaces) start at ") ".
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    t.server += (utime + stime) / tick;
  }
  return t;
}

void report_cpu(benchmark::State& state, const CpuTime& before, const CpuTime& after, double units,
                const std::string& unit) {
  state.counters["client_cpu_us_per_" + unit] = (after.client - before.client) * 1e6 / units;
  state.counters["server_cpu_us_per_" + unit] = (after.server - before.server) * 1e6 / units;
}

bool ready(benchmark::State& state) {
  if (pool() != nullptr) return true;
  state.SkipWithError("MARINA_BENCH_DATABASE_URL is not set: start a server (scripts/test-servers.sh start <dir>) "
                      "and export MARINA_BENCH_DATABASE_URL=<its URL>");
  return false;
}

marina::nostr::Filter parse(const std::string& json) { return *marina::nostr::parse_filter(json); }

void report(benchmark::State& state, std::vector<double>& micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * micros.size()))]; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = micros.back();
}

// Runs query() for the filters make_filters() returns, once per iteration.
template <class MakeFilters>
void run_queries(benchmark::State& state, MakeFilters make_filters) {
  if (!ready(state)) return;
  marina::store::EventStore store(*pool());
  std::vector<double> micros;
  std::size_t events = 0;
  CpuTime cpu_before;
  marina::testing::run_async(
      [&]() -> awaitable<void> {
        // Warm the pool's connections (and their plan caches) outside the measurement.
        for (int i = 0; i < 20; ++i) {
          const auto warm = make_filters();
          co_await store.query(kRelay, warm, kFirstCreatedAt + kEvents);
        }
        cpu_before = cpu_now();
        for (auto _ : state) {
          const auto filters = make_filters();
          const auto start = Clock::now();
          const auto result = co_await store.query(kRelay, filters, kFirstCreatedAt + kEvents);
          micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
          events += result.size();
          benchmark::DoNotOptimize(result.data());
        }
      },
      std::chrono::minutes(10));
  report_cpu(state, cpu_before, cpu_now(), static_cast<double>(state.iterations()), "req");
  state.counters["events_per_req"] = static_cast<double>(events) / static_cast<double>(state.iterations());
  report(state, micros);
}

void BM_ReqOneKind(benchmark::State& state) {
  run_queries(state, [] { return std::vector<marina::nostr::Filter>{parse(R"({"kinds":[1],"limit":50})")}; });
}
BENCHMARK(BM_ReqOneKind)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ReqTenAuthors(benchmark::State& state) {
  std::mt19937 rng(7);
  run_queries(state, [&] {
    std::string authors;
    for (int i = 0; i < 10; ++i)
      authors += std::string(i ? "," : "") + "\"" + synthetic_author(static_cast<int>(rng() % kAuthors)).hex() + "\"";
    return std::vector<marina::nostr::Filter>{parse(R"({"authors":[)" + authors + R"(],"limit":100})")};
  });
}
BENCHMARK(BM_ReqTenAuthors)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ReqOneTag(benchmark::State& state) {
  run_queries(state, [] { return std::vector<marina::nostr::Filter>{parse(R"({"#t":["x"],"limit":50})")}; });
}
BENCHMARK(BM_ReqOneTag)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Batches of 500 new kind-1 notes of ~650 bytes (raw JSON) with a `t` and two `p` tags,
// signed before the clock starts (signing is the ingest's cost, not the store's).
// range(0): how many relays the batch's events are spread over (relay-ingest
// reads one stream for every relay, so its batches mix them).
void BM_WriteBatchOf500(benchmark::State& state) {
  if (!ready(state)) return;
  const int relays = static_cast<int>(state.range(0));
  constexpr int kBatch = 500;
  const int batches = static_cast<int>(state.max_iterations);
  static const std::vector<std::string> words = {"nostr", "relay", "bitcoin", "lightning", "zap",   "note",
                                                 "event", "client", "key",    "signature", "hello", "world"};
  std::mt19937 rng(std::random_device{}());
  std::vector<marina::nostr::SecretKey> keys;
  for (int i = 0; i < 200; ++i) keys.push_back(marina::nostr::SecretKey::generate());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<std::vector<marina::store::WriteRequest>> pending(batches);
  for (auto& batch : pending) {
    for (int i = 0; i < kBatch; ++i) {
      marina::nostr::EventTemplate t;
      t.kind = 1;
      t.created_at = now - static_cast<std::int64_t>(rng() % 100000);
      while (t.content.size() < 150) t.content += words[rng() % words.size()] + " ";
      t.tags = {{"t", words[rng() % words.size()]},
                {"p", marina::nostr::public_key(keys[rng() % keys.size()]).hex()},
                {"p", marina::nostr::public_key(keys[rng() % keys.size()]).hex()}};
      auto e = marina::nostr::sign(t, keys[rng() % keys.size()]);
      std::string relay = kWriteRelay;
      if (relays > 1) {
        // Relays ...0004 to ...00xx (hex), the batch's events dealt round robin.
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "%012x", 4 + (i % relays));
        relay = "00000000-0000-4000-8000-" + std::string(suffix);
      }
      batch.push_back(marina::store::WriteRequest{relay, std::move(e), "wss://bench.relay.example"});
    }
  }
  marina::store::EventStore store(*pool());
  std::vector<double> micros;
  std::size_t next = 0, stored = 0, raw_bytes = 0;
  CpuTime cpu_before;
  marina::testing::run_async(
      [&]() -> awaitable<void> {
        // A connection (and its relation cache) warmed outside the measurement.
        std::vector<marina::store::WriteRequest> warm{pending.back().back()};
        co_await store.write(std::move(warm));
        pending.back().pop_back();
        cpu_before = cpu_now();
        for (auto _ : state) {
          auto batch = std::move(pending[next++]);
          for (const auto& r : batch) raw_bytes += r.event.raw.size();
          const auto start = Clock::now();
          const auto results = co_await store.write(std::move(batch));
          micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
          for (const auto& r : results) stored += r.publish ? 1 : 0;
        }
      },
      std::chrono::minutes(10));
  report_cpu(state, cpu_before, cpu_now(), static_cast<double>(stored), "event");
  state.SetItemsProcessed(static_cast<std::int64_t>(stored));
  state.counters["us_per_event"] = benchmark::Counter(
      std::accumulate(micros.begin(), micros.end(), 0.0) / static_cast<double>(stored));
  state.counters["raw_bytes_per_event"] = static_cast<double>(raw_bytes) / static_cast<double>(stored);
  report(state, micros);
}
BENCHMARK(BM_WriteBatchOf500)->Arg(1)->Arg(50)->Iterations(40)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
