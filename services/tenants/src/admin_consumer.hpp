#pragma once
// The reader of marina:admin (consumer group "admin"): each worker reads one
// entry at a time on a Redis connection of its own (a blocking read must not
// hold the connection the API's facts go through), hands it to the Executor
// and acks and deletes it once answered. Several workers (ADMIN_WORKERS)
// run side by side so one slow command does not hold up every relay's; each
// has one connection of the admin pool, apart from the API's, and nothing
// here touches relay-ingest's batches.
//
// Entries a worker read and never acked (a crash, a failure) are read again
// by it first; those of a dead consumer are claimed after ADMIN_CLAIM_IDLE.
// The replay guard makes a re-delivered command a no-op rather than a second
// execution: at most once, answered at most once.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "admin_executor.hpp"
#include "marina/core/backoff.hpp"
#include "marina/redis/options.hpp"
#include "marina/redis/streams.hpp"

namespace marina::redis {
class Client;
}
namespace marina::pg {
class Pool;
}

namespace marina::tenants::admin {

struct ConsumerSettings {
  std::string consumer;  // name in the group, unique per worker
  std::chrono::milliseconds block{2000};
  std::chrono::milliseconds claim_idle{60'000};
  std::chrono::milliseconds retry_min{100};
  std::chrono::milliseconds retry_max{5000};
};

class Worker {
 public:
  // `reader` is this worker's own connection; `redis` the shared one (acks).
  Worker(redis::Client& reader, redis::Client& redis, Executor& executor, ConsumerSettings settings);

  // Until cancelled.
  boost::asio::awaitable<void> run();

 private:
  boost::asio::awaitable<void> ensure_group();
  boost::asio::awaitable<std::optional<redis::StreamEntry>> next();
  boost::asio::awaitable<void> process(const redis::StreamEntry& entry);

  redis::Client& reader_;
  redis::Client& redis_;
  Executor& executor_;
  ConsumerSettings settings_;
  core::Backoff backoff_;
  bool own_pending_done_ = false;
  std::chrono::steady_clock::time_point next_claim_{};
};

// One worker with a reader connection of its own, made on the calling
// coroutine's executor and closed when the worker ends.
boost::asio::awaitable<void> run_worker(redis::Options reader_options, redis::Client& redis, Executor& executor,
                                        ConsumerSettings settings);

// The consumer name of worker `index` of this process: hostname-pid-admin-<index>.
std::string worker_name(std::size_t index);

// Deletes replay-guard rows older than `retention` every `every`, until cancelled.
boost::asio::awaitable<void> purge_replay_guard(pg::Pool& db, std::chrono::seconds retention,
                                                std::chrono::milliseconds every);

}  // namespace marina::tenants::admin
