#include "marina/relay_query/query_backends.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "marina/core/log.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/service/app.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

namespace {

asio::awaitable<bool> ping_postgres(pg::Pool* pool) {
  co_await pool->ping();
  co_return true;
}

asio::awaitable<bool> ping_redis(redis::Client* client) {
  co_await client->ping();
  co_return true;
}

// Background tasks are cancelled only after the public server drained, so
// EVENTs still being handed off keep their Redis connection to the end.
asio::awaitable<void> close_at_shutdown(redis::Client* client) {
  asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
  co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
  client->close();
}

}  // namespace

QueryBackends::QueryBackends(service::App& app, platform::BackendOptions options)
    : app_(app), options_(std::move(options)) {
  db_ = std::make_unique<pg::Pool>(options_.db);
  redis_ = std::make_unique<redis::Client>(app.io().get_executor(), options_.redis);
  log::info("backends configured",
            {{"redis", redis::describe(options_.redis)}, {"database_pool_size", options_.db.size}});
  pg::Pool* pool = db_.get();
  redis::Client* client = redis_.get();
  app.add_readiness_check("postgres", [pool] { return ping_postgres(pool); });
  app.add_readiness_check("redis", [client] { return ping_redis(client); });
  app.spawn("backends-close", close_at_shutdown(client));
}

QueryBackends::~QueryBackends() = default;

std::unique_ptr<redis::Client> QueryBackends::new_redis_connection() {
  return std::make_unique<redis::Client>(app_.io().get_executor(), options_.redis);
}

}  // namespace marina::relay_query
