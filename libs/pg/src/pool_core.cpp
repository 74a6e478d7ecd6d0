#include "pool_core.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <stdexcept>

#include "marina/core/exception.hpp"
#include "marina/core/log.hpp"
#include "marina/pg/conninfo.hpp"
#include "translate.hpp"

namespace marina::pg::detail {

namespace {

const PoolOptions& validated(const PoolOptions& options) {
  if (options.size == 0) throw std::invalid_argument("pg::Pool: size must be at least 1");
  if (options.url.empty()) throw std::invalid_argument("pg::Pool: empty database URL");
  return options;
}

}  // namespace

PoolCore::PoolCore(PoolOptions options)
    : options_(validated(options)),
      conninfo_(conninfo(options_)),
      threads_(options_.size),
      permits_(options_.size) {}

void PoolCore::prepare(const std::string& name, const std::string& sql) {
  std::lock_guard lock(mutex_);
  for (const auto& [known, known_sql] : statements_) {
    if (known != name) continue;
    if (known_sql == sql) return;
    throw std::invalid_argument("pg::Pool::prepare: statement " + name + " is already defined differently");
  }
  statements_.emplace_back(name, sql);
  statement_count_ = statements_.size();
}

void PoolCore::submit(const Job& job, boost::asio::any_io_executor caller, Completion completion) {
  auto request = std::make_shared<Request>(
      Request{&job, boost::asio::make_work_guard(caller), std::move(completion), nullptr, false});
  std::unique_lock lock(mutex_);
  if (closed_) {
    lock.unlock();
    complete(request, std::make_exception_ptr(Unavailable("database pool is shut down")));
    return;
  }
  if (permits_ > 0) {
    --permits_;
    lock.unlock();
    start_on_thread(std::move(request));
    return;
  }
  request->acquire_timer = std::make_shared<boost::asio::steady_timer>(caller, options_.acquire_timeout);
  request->acquire_timer->async_wait(
      [self = shared_from_this(), request](const boost::system::error_code&) { self->on_acquire_timeout(request); });
  waiting_.push_back(std::move(request));
}

void PoolCore::on_acquire_timeout(const std::shared_ptr<Request>& request) {
  {
    std::lock_guard lock(mutex_);
    // Already granted a connection (the timer was cancelled) or failed by shutdown.
    if (request->finished_waiting) return;
    request->finished_waiting = true;
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), request));
  }
  complete(request, std::make_exception_ptr(AcquireTimeout(
                        "no database connection free within " + std::to_string(options_.acquire_timeout.count()) +
                        " ms (pool size " + std::to_string(options_.size) + ")")));
}

void PoolCore::start_on_thread(std::shared_ptr<Request> request) {
  boost::asio::post(threads_, [self = shared_from_this(), request = std::move(request)] { self->run_on_thread(request); });
}

void PoolCore::run_on_thread(const std::shared_ptr<Request>& request) {
  std::unique_ptr<PooledConnection> conn;
  std::exception_ptr error;
  bool lost = false;
  try {
    conn = checkout();
    if (conn->prepared() < statement_count_.load()) {
      std::lock_guard lock(mutex_);
      conn->catch_up(statements_);
    }
    (*request->job)(conn->get());
  } catch (...) {
    auto translated = translate_current_exception();
    error = translated.error;
    lost = translated.connection_lost || (conn && !conn->get().is_open());
    if (lost || !conn) note_health(false, core::describe(error).c_str());
  }
  checkin(std::move(conn), lost);
  release_permit();
  complete(request, error);
}

std::unique_ptr<PooledConnection> PoolCore::checkout() {
  std::unique_ptr<PooledConnection> found;
  std::vector<std::unique_ptr<PooledConnection>> stale;
  {
    std::lock_guard lock(mutex_);
    // Most recently used first: it is the least likely to have gone stale.
    while (!found && !idle_.empty()) {
      auto candidate = std::move(idle_.back());
      idle_.pop_back();
      if (candidate->usable_when_idle()) {
        found = std::move(candidate);
      } else {
        stale.push_back(std::move(candidate));
        --open_;
      }
    }
  }
  stale.clear();  // closed outside the lock
  if (found) return found;
  auto conn = std::make_unique<PooledConnection>(conninfo_, options_.statement_timeout);
  {
    std::lock_guard lock(mutex_);
    ++open_;
  }
  note_health(true, "connected");
  return conn;
}

void PoolCore::checkin(std::unique_ptr<PooledConnection> conn, bool lost) {
  if (!conn) return;
  std::lock_guard lock(mutex_);
  if (lost || closed_) {
    --open_;
    return;  // conn closes here; a later call opens a fresh one
  }
  idle_.push_back(std::move(conn));
}

void PoolCore::release_permit() {
  std::shared_ptr<Request> next;
  {
    std::lock_guard lock(mutex_);
    if (waiting_.empty()) {
      ++permits_;
      return;
    }
    // Hand the permit straight to the longest waiter.
    next = std::move(waiting_.front());
    waiting_.pop_front();
    next->finished_waiting = true;
  }
  cancel_acquire_timer(next);
  start_on_thread(std::move(next));
}

void PoolCore::cancel_acquire_timer(const std::shared_ptr<Request>& request) {
  // The timer belongs to the caller's executor: cancel it there.
  boost::asio::post(request->caller.get_executor(), [timer = request->acquire_timer] { timer->cancel(); });
}

void PoolCore::complete(const std::shared_ptr<Request>& request, std::exception_ptr error) {
  auto executor = request->caller.get_executor();
  // Everything that refers to the caller's context travels with the
  // completion and is released on the caller's thread: never here, after the
  // caller may have finished and torn its context down.
  boost::asio::post(executor, [completion = std::move(request->completion), guard = std::move(request->caller),
                               timer = std::move(request->acquire_timer), error]() mutable {
    std::move(completion)(error);
  });
}

void PoolCore::note_health(bool reachable, const char* what) {
  // Log transitions only: an outage must not produce one line per query.
  if (reachable_.exchange(reachable) == reachable) return;
  if (reachable) {
    log::info("database reachable", {{"url", redact(options_.url)}});
  } else {
    log::warn("database unreachable", {{"url", redact(options_.url)}, {"error", what}});
  }
}

void PoolCore::shutdown() {
  std::deque<std::shared_ptr<Request>> waiting;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    waiting.swap(waiting_);
    for (auto& request : waiting) request->finished_waiting = true;
  }
  for (auto& request : waiting) {
    cancel_acquire_timer(request);
    complete(request, std::make_exception_ptr(Unavailable("database pool is shut down")));
  }
  threads_.join();
  std::lock_guard lock(mutex_);
  open_ -= idle_.size();
  idle_.clear();
}

PoolStats PoolCore::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{options_.size, open_, options_.size - permits_, waiting_.size()};
}

}  // namespace marina::pg::detail
