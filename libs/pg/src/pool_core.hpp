#pragma once
// The shared state behind a Pool: the permits (one per connection), the
// callers waiting for one, the idle connections and the threads that run the
// blocking libpqxx calls. Everything here may be touched from a caller's
// executor and from the pool's threads, so it is guarded by one mutex.
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "marina/pg/pool.hpp"
#include "pooled_connection.hpp"

namespace marina::pg::detail {

using Completion = boost::asio::any_completion_handler<void(std::exception_ptr)>;

// One call from submit() to its completion.
struct Request {
  const Job* job;
  boost::asio::executor_work_guard<boost::asio::any_io_executor> caller;  // keeps the caller's context running
  Completion completion;
  // Only while waiting for a permit. Shared so that every reference is dropped
  // on the caller's executor, never on a pool thread after the caller's
  // context may be gone.
  std::shared_ptr<boost::asio::steady_timer> acquire_timer;
  bool finished_waiting = false;                             // granted or timed out (guarded by mutex)
};

class PoolCore : public std::enable_shared_from_this<PoolCore> {
 public:
  explicit PoolCore(PoolOptions options);

  void prepare(const std::string& name, const std::string& sql);
  // Runs *job on a pooled connection when a permit is free (or fails it with
  // AcquireTimeout), then posts `completion` to `caller`.
  void submit(const Job& job, boost::asio::any_io_executor caller, Completion completion);
  // Fails the waiting calls and joins the threads (which finish running calls).
  void shutdown();
  PoolStats stats() const;

 private:
  void start_on_thread(std::shared_ptr<Request> request);
  void run_on_thread(const std::shared_ptr<Request>& request);
  void on_acquire_timeout(const std::shared_ptr<Request>& request);
  void release_permit();
  std::unique_ptr<PooledConnection> checkout();
  void checkin(std::unique_ptr<PooledConnection> conn, bool lost);
  void note_health(bool reachable, const char* what);
  static void complete(const std::shared_ptr<Request>& request, std::exception_ptr error);
  static void cancel_acquire_timer(const std::shared_ptr<Request>& request);

  const PoolOptions options_;
  const std::string conninfo_;
  boost::asio::thread_pool threads_;

  mutable std::mutex mutex_;
  std::size_t permits_;
  std::deque<std::shared_ptr<Request>> waiting_;
  std::vector<std::unique_ptr<PooledConnection>> idle_;
  std::size_t open_ = 0;
  Statements statements_;
  std::atomic<std::size_t> statement_count_{0};
  bool closed_ = false;
  std::atomic<bool> reachable_{true};
};

}  // namespace marina::pg::detail
