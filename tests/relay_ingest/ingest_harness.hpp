#pragma once
// What the relay-ingest tests share: a migrated database and a private Redis
// (marina:ingest and friends have fixed names, so no other test binary may
// share the server), relay rows, signed events, stream helpers, and the
// pipeline running in-process on a thread of its own.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "marina/metrics/registry.hpp"
#include "marina/nostr/event.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay_ingest/ingester.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest::testing {

using namespace std::chrono_literals;

// The Redis server this test binary owns (see IngestEnv).
std::string private_redis_url();

std::int64_t unix_now();
std::int64_t unix_ms();

// A fresh, migrated database and an emptied private Redis per instance.
class IngestEnv {
 public:
  IngestEnv();
  // Another database (migrated here) and another Redis (emptied here):
  // servers a test stops and starts.
  IngestEnv(std::string db_url, std::string redis_url);

  const std::string& db_url() const { return db_url_; }
  const std::string& redis_url() const { return redis_url_; }

  // Inserts a tenant and a relay; returns the relay id.
  std::string add_relay(const std::string& subdomain, const std::string& status = "active",
                        const std::string& reason = "");
  void sql(const std::string& statement) const;
  bool stored(const std::string& relay_id, const std::string& event_id) const;
  std::size_t stored_count(const std::string& relay_id) const;

  // Redis, synchronously.
  redis::Reply command(std::vector<std::string> args) const;
  std::string xadd(const streams::IngestRequest& request) const;
  std::string xadd_fields(const redis::Fields& fields) const;
  std::vector<streams::IngestReply> replies(const std::string& origin) const;
  // Polls until `origin` has at least `n` replies; returns them (fewer after `timeout`).
  std::vector<streams::IngestReply> wait_replies(const std::string& origin, std::size_t n,
                                                 std::chrono::milliseconds timeout = 20s) const;
  std::vector<streams::AcceptedEvent> events() const;
  // Pending entries of group `ingest` (0 when there is no group).
  std::int64_t pending() const;
  // Entries of marina:ingest not delivered to group `ingest` yet (its `lag`).
  std::int64_t undelivered() const;

 private:
  std::string db_url_;
  std::string redis_url_;
};

nostr::Event signed_event(const nostr::SecretKey& key, nostr::Kind kind, std::string content, nostr::Tags tags = {},
                          std::int64_t created_at = unix_now());
streams::IngestRequest request_for(const std::string& relay_id, const nostr::Event& event,
                                   const std::string& origin = "query-1", std::uint64_t connection = 7,
                                   const std::string& ip = "127.0.0.1");

// Settings for tests: short blocks and retries, generous rate limits.
IngestSettings test_settings(const std::string& consumer = "ingest-test");

// The Ingester's tasks on an io_context of their own thread, as the service
// runs them. The destructor stops it gracefully.
class RunningIngester {
 public:
  RunningIngester(const std::string& db_url, const std::string& redis_url, IngestSettings settings);
  ~RunningIngester();
  RunningIngester(const RunningIngester&) = delete;
  RunningIngester& operator=(const RunningIngester&) = delete;

  // Graceful: the batch in hand completes; then the other tasks are cancelled.
  void stop();
  std::string metrics() const { return registry_.serialize(); }
  // What a task threw (other than being cancelled), "" if nothing.
  std::string failure() const;

 private:
  void spawn(boost::asio::awaitable<void> task, boost::asio::cancellation_signal* cancel);

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  metrics::Registry registry_;
  pg::Pool pool_;
  redis::Client redis_;
  Ingester ingester_;
  boost::asio::cancellation_signal cancel_[3];
  std::atomic<int> tasks_{0};
  std::atomic<bool> consuming_{false};
  mutable std::mutex mu_;
  std::string failure_;
  bool stopped_ = false;
  std::thread thread_;
};

// The value of a metric sample line `name{labels}` in Prometheus text; 0 when absent.
double metric_value(const std::string& exposition, const std::string& series);

}  // namespace marina::relay_ingest::testing
