#include "marina/pg/pool.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/nontransaction>

#include "pool_core.hpp"

namespace marina::pg {

Pool::Pool(PoolOptions options) : core_(std::make_shared<detail::PoolCore>(std::move(options))) {}

Pool::~Pool() { core_->shutdown(); }

void Pool::prepare(const std::string& name, const std::string& sql) { core_->prepare(name, sql); }

boost::asio::awaitable<void> Pool::execute(const detail::Job& job) {
  auto caller = co_await boost::asio::this_coro::executor;
  // Named, not a temporary inside co_await: GCC 12 destroys a lambda temporary
  // of a co_await expression twice.
  auto initiation = [this, &job, caller](auto handler) { core_->submit(job, caller, std::move(handler)); };
  co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      initiation, boost::asio::use_awaitable);
}

boost::asio::awaitable<void> Pool::ping() {
  co_await run([](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    tx.exec("SELECT 1");
  });
}

PoolStats Pool::stats() const { return core_->stats(); }

namespace detail {

void begin(pqxx::work& tx, const TxOptions& options) {
  std::string sql;
  if (options.read_only) sql += "SET TRANSACTION READ ONLY;";
  if (options.statement_timeout)
    sql += "SET LOCAL statement_timeout = " + std::to_string(options.statement_timeout->count()) + ";";
  if (!sql.empty()) tx.exec(sql);
}

}  // namespace detail

}  // namespace marina::pg
