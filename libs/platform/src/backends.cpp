#include "marina/platform/backends.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "marina/core/log.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/service/app.hpp"

namespace marina::platform {

BackendOptions declare_backends(core::Config& config) {
  BackendOptions o;
  o.db = pg::pool_options(config);
  o.redis = redis::client_options(config);
  return o;
}

Backends::Backends(service::App& app, BackendOptions options) : app_(app), options_(std::move(options)) {
  db_ = std::make_unique<pg::Pool>(options_.db);
  redis_ = std::make_unique<redis::Client>(app.io().get_executor(), options_.redis);
  log::info("backends configured",
            {{"redis", redis::describe(options_.redis)}, {"database_pool_size", options_.db.size}});

  app.add_readiness_check("postgres", [this]() -> boost::asio::awaitable<bool> {
    co_await db_->ping();
    co_return true;
  });
  app.add_readiness_check("redis", [this]() -> boost::asio::awaitable<bool> {
    co_await redis_->ping();
    co_return true;
  });

  // Background tasks are cancelled only after the public server drained, so
  // requests still in flight keep their Redis connection to the end; then the
  // clients close while the io_context still runs.
  app.spawn("backends-close", [this]() -> boost::asio::awaitable<void> {
    boost::asio::steady_timer forever(co_await boost::asio::this_coro::executor,
                                      boost::asio::steady_timer::time_point::max());
    try {
      co_await forever.async_wait(boost::asio::use_awaitable);
    } catch (const boost::system::system_error&) {
      // cancelled: the service is shutting down
    }
    if (blocking_redis_) blocking_redis_->close();
    redis_->close();
  }());
}

Backends::~Backends() = default;

redis::Client& Backends::blocking_redis() {
  if (!blocking_redis_) blocking_redis_ = new_redis_connection();
  return *blocking_redis_;
}

std::unique_ptr<redis::Client> Backends::new_redis_connection() {
  return std::make_unique<redis::Client>(app_.io().get_executor(), options_.redis);
}

}  // namespace marina::platform
