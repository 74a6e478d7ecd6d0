#pragma once
// A bounded pool of PostgreSQL connections for coroutines.
//
// libpqxx is blocking, so every call runs on the pool's own threads (one per
// connection) and the awaiting coroutine resumes on its own executor: an I/O
// thread never waits for the database.
//
//   marina::pg::Pool pool(marina::pg::pool_options(config));
//   pool.prepare("tenant_by_pubkey", "SELECT status FROM tenants WHERE pubkey = $1");
//   auto status = co_await pool.transaction([&](pqxx::work& tx) {
//     return tx.exec_prepared1("tenant_by_pubkey", pubkey)[0].as<std::string>();
//   });
//
// The function runs on a pool thread: it must only use what it captured and
// the connection or transaction it is given, and it must not co_await. Errors
// come out as the types in errors.hpp. A connection that broke is closed, not
// returned; the next call opens a new one, so the pool recovers by itself once
// the server is back. Destroy the pool only after the calls on it finished.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>

#include "marina/pg/errors.hpp"
#include "marina/pg/options.hpp"

namespace marina::pg {

namespace detail {
class PoolCore;
using Job = std::function<void(pqxx::connection&)>;
}  // namespace detail

struct TxOptions {
  // Lower (or raise) the statement timeout for this transaction only (SET LOCAL).
  std::optional<std::chrono::milliseconds> statement_timeout;
  // SET TRANSACTION READ ONLY: the server refuses any write.
  bool read_only = false;
};
// Passed (and defaulted) inside co_await expressions, where GCC 12 destroys an
// aggregate temporary twice: must stay trivially destructible.
static_assert(std::is_trivially_destructible_v<TxOptions>);

struct PoolStats {
  std::size_t size = 0;     // the bound
  std::size_t open = 0;     // connections currently open
  std::size_t busy = 0;     // calls running now
  std::size_t waiting = 0;  // calls waiting for a connection
};

class Pool {
 public:
  explicit Pool(PoolOptions options);
  // Waits for calls already running on the pool's threads; calls still
  // waiting for a connection fail with Unavailable.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Registers a prepared statement on every connection, present and future
  // (libpqxx prepares it on the server at first use). Same name, other SQL: throws.
  void prepare(const std::string& name, const std::string& sql);

  // fn(pqxx::connection&) -> T outside any transaction (each statement commits
  // by itself): for work that manages its own transactions or session state.
  template <typename F>
  boost::asio::awaitable<std::invoke_result_t<F&, pqxx::connection&>> run(F fn);

  // fn(pqxx::work&) -> T in one transaction: committed when fn returns,
  // rolled back when it throws.
  template <typename F>
  boost::asio::awaitable<std::invoke_result_t<F&, pqxx::work&>> transaction(F fn, TxOptions options = {});

  // SELECT 1 on a pooled connection: readiness.
  boost::asio::awaitable<void> ping();

  PoolStats stats() const;

 private:
  // Runs job on a pooled connection on a pool thread; resumes the caller on its executor.
  boost::asio::awaitable<void> execute(const detail::Job& job);

  std::shared_ptr<detail::PoolCore> core_;
};

namespace detail {
// The first statements of a transaction that carry TxOptions.
void begin(pqxx::work& tx, const TxOptions& options);
}  // namespace detail

template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&, pqxx::connection&>> Pool::run(F fn) {
  using R = std::invoke_result_t<F&, pqxx::connection&>;
  if constexpr (std::is_void_v<R>) {
    co_await execute([&fn](pqxx::connection& conn) { fn(conn); });
  } else {
    // The job writes into this frame, which stays alive (suspended) until it completes.
    std::optional<R> result;
    co_await execute([&fn, &result](pqxx::connection& conn) { result.emplace(fn(conn)); });
    co_return std::move(*result);
  }
}

template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&, pqxx::work&>> Pool::transaction(F fn, TxOptions options) {
  using R = std::invoke_result_t<F&, pqxx::work&>;
  co_return co_await run([&fn, &options](pqxx::connection& conn) -> R {
    pqxx::work tx(conn);
    detail::begin(tx, options);
    if constexpr (std::is_void_v<R>) {
      fn(tx);
      tx.commit();
    } else {
      R result = fn(tx);
      tx.commit();
      return result;
    }
  });
}

}  // namespace marina::pg
