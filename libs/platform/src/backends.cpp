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

  app.spawn("backends-close", close_at_shutdown(this));
}

Backends::~Backends() = default;

// Background tasks are cancelled only after the public server drained, so
// requests still in flight keep their Redis connection to the end; then the
// clients close while the io_context still runs. A plain function taking the
// pointer as a parameter (copied into the coroutine frame), not a lambda
// coroutine: a lambda's captures live in the closure, which is gone by the
// time the task resumes.
boost::asio::awaitable<void> Backends::close_at_shutdown(Backends* self) {
  boost::asio::steady_timer forever(co_await boost::asio::this_coro::executor,
                                    boost::asio::steady_timer::time_point::max());
  try {
    co_await forever.async_wait(boost::asio::use_awaitable);
  } catch (const boost::system::system_error&) {
    // cancelled: the service is shutting down
  }
  if (self->blocking_redis_) self->blocking_redis_->close();
  self->redis_->close();
}

redis::Client& Backends::blocking_redis() {
  if (!blocking_redis_) blocking_redis_ = new_redis_connection();
  return *blocking_redis_;
}

std::unique_ptr<redis::Client> Backends::new_redis_connection() {
  return std::make_unique<redis::Client>(app_.io().get_executor(), options_.redis);
}

}  // namespace marina::platform
