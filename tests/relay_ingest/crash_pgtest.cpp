// The real marina-relay-ingest killed with SIGKILL while events stream in,
// restarted once under the same REPLICA_ID (it re-reads its own pending
// entries) and once under another (the dead one's entries are claimed):
// every event that got OK true is stored and was published, and every
// request added to marina:ingest gets its answer. Then SIGTERM: a clean exit
// that leaves nothing pending.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <map>
#include <set>

// The harness' child process helper (own process group, SIGKILL on parent death).
#include "child_process.hpp"
#include "ingest_harness.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/temp_dir.hpp"

namespace marina::relay_ingest::testing {
namespace {

using marina::testing::detail::ChildProcess;
using marina::testing::detail::SpawnOptions;

constexpr std::size_t kEvents = 3000;

std::string binary() {
  const char* dir = std::getenv("MARINA_BINARY_DIR");
  if (dir == nullptr) throw std::runtime_error("MARINA_BINARY_DIR is not set (run through ctest)");
  return std::string(dir) + "/services/relay-ingest/marina-relay-ingest";
}

ChildProcess start_ingest(const IngestEnv& env, const std::string& replica, const std::string& log) {
  SpawnOptions o;
  o.argv = {"/usr/bin/env",
            "DATABASE_URL=" + env.db_url(),
            "REDIS_URL=" + env.redis_url(),
            "ADMIN_PORT=0",
            "REPLICA_ID=" + replica,
            "INGEST_BATCH_SIZE=50",
            "INGEST_CLAIM_IDLE=1s",
            "INGEST_CLAIM_INTERVAL=200ms",
            "INGEST_RETRY_MAX=200ms",
            "RELAY_EVENTS_PER_MINUTE_PER_IP=10000000",
            "RELAY_EVENTS_PER_MINUTE_PER_PUBKEY=10000000",
            "LOG_LEVEL=warn",
            binary()};
  o.log_path = log;
  o.workdir = "/";
  return ChildProcess(o);
}

// Distinct event ids answered so far, and which of them were accepted.
struct Answers {
  std::set<std::string> answered;
  std::set<std::string> accepted;
};

Answers answers(const IngestEnv& env) {
  Answers a;
  for (const auto& r : env.replies("query-1")) {
    a.answered.insert(r.event_id);
    if (r.accepted) a.accepted.insert(r.event_id);
  }
  return a;
}

std::size_t wait_answered(const IngestEnv& env, std::size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t got = answers(env).answered.size();
    if (got >= n || std::chrono::steady_clock::now() >= deadline) return got;
    std::this_thread::sleep_for(20ms);
  }
}

TEST(Crash, EveryOkTrueIsStoredAndPublishedAndNoRequestIsLostAcrossSigkills) {
  IngestEnv env;
  const std::string relay = env.add_relay("alpha");
  marina::testing::TempDir dir("marina-ingest-crash");
  const std::string log = (dir.path() / "relay-ingest.log").string();

  // Signed before the clock starts: the producer only adds them to the stream.
  std::vector<streams::IngestRequest> requests;
  std::vector<std::string> ids;
  std::vector<nostr::SecretKey> authors;
  for (int i = 0; i < 20; ++i) authors.push_back(nostr::SecretKey::generate());
  for (std::size_t i = 0; i < kEvents; ++i) {
    const auto e = signed_event(authors[i % authors.size()], 1, "streamed " + std::to_string(i));
    ids.push_back(e.id_hex());
    requests.push_back(request_for(relay, e));
  }

  auto ingest = start_ingest(env, "replica-1", log);
  std::atomic<std::size_t> produced{0};
  std::thread producer([&] {
    marina::testing::run_async(
        [&]() -> boost::asio::awaitable<void> {
          auto ex = co_await boost::asio::this_coro::executor;
          redis::Client client(ex, redis::parse_url(env.redis_url()));
          boost::asio::steady_timer pace(ex);
          for (std::size_t i = 0; i < requests.size();) {
            try {
              const auto fields = requests[i].encode();
              co_await client.xadd(streams::kIngestStream, fields);
              produced = ++i;
            } catch (const redis::Unavailable&) {
              // Still connecting: try the same request again.
            }
            if (i % 20 == 0) {  // about 5,000 a second at most: a stream, not one burst
              pace.expires_after(2ms);
              co_await pace.async_wait(boost::asio::use_awaitable);
            }
          }
          client.close();
        },
        120s);
  });

  // Kill -9 in the middle of the stream, restart under the same name: its
  // own pending entries are re-read at once.
  ASSERT_GE(wait_answered(env, 300, 30s), 300u) << marina::testing::detail::log_tail(log);
  ingest.kill_group();
  std::this_thread::sleep_for(200ms);
  ingest = start_ingest(env, "replica-1", log);

  // Kill -9 again, restart under another name: the dead consumer's entries
  // are claimed once idle for INGEST_CLAIM_IDLE.
  ASSERT_GE(wait_answered(env, 1500, 60s), 1500u) << marina::testing::detail::log_tail(log);
  ingest.kill_group();
  std::this_thread::sleep_for(200ms);
  ingest = start_ingest(env, "replica-2", log);

  producer.join();
  ASSERT_EQ(produced.load(), kEvents);
  EXPECT_EQ(wait_answered(env, kEvents, 90s), kEvents) << marina::testing::detail::log_tail(log);

  const Answers a = answers(env);
  for (const auto& id : ids) EXPECT_TRUE(a.answered.contains(id)) << "no answer for " << id;
  // All of them are valid: each is accepted, if only as a duplicate of its own first attempt.
  EXPECT_EQ(a.accepted.size(), kEvents);
  std::set<std::string> published;
  for (const auto& e : env.events()) published.insert(e.event_json.substr(e.event_json.find("\"id\":\"") + 6, 64));
  std::size_t missing_rows = 0, missing_events = 0;
  for (const auto& id : a.accepted) {
    if (!env.stored(relay, id)) ++missing_rows;
    if (!published.contains(id)) ++missing_events;
  }
  EXPECT_EQ(missing_rows, 0u) << "events answered OK true but not stored";
  EXPECT_EQ(missing_events, 0u) << "stored events never published on marina:events";
  EXPECT_EQ(env.stored_count(relay), kEvents);

  // SIGTERM: graceful, exit 0, nothing left pending.
  ASSERT_EQ(::kill(ingest.pid(), SIGTERM), 0);
  const auto status = ingest.wait_for(15s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << marina::testing::detail::log_tail(log);
  EXPECT_EQ(env.pending(), 0);
}

}  // namespace
}  // namespace marina::relay_ingest::testing
