#pragma once
// A service's connections to the platform's backing stores: the PostgreSQL
// pool and the Redis client, declared, created and probed the same way in
// every service.
//
//   auto options = marina::platform::declare_backends(ctx.config);  // DATABASE_*, REDIS_*
//   ctx.finish_config();
//   marina::service::App app(ctx);
//   marina::platform::Backends backends(app, options);  // after app: destroyed before it
//   co_await backends.db().transaction(...);
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "marina/pg/options.hpp"
#include "marina/redis/options.hpp"

namespace marina::core { class Config; }
namespace marina::pg { class Pool; }
namespace marina::redis { class Client; }
namespace marina::service { class App; }

namespace marina::platform {

struct BackendOptions {
  pg::PoolOptions db;
  redis::Options redis;
};

// Declares DATABASE_* and REDIS_* on `config` (validated by its finish()).
BackendOptions declare_backends(core::Config& config);

class Backends {
 public:
  // Creates the pool and the Redis client on the app's executor, registers
  // the readiness checks "postgres" and "redis", and closes the Redis clients
  // once the app's public server has drained at shutdown. Construct it after
  // the App so that it is destroyed before the App's io_context.
  Backends(service::App& app, BackendOptions options);
  ~Backends();
  Backends(const Backends&) = delete;
  Backends& operator=(const Backends&) = delete;

  pg::Pool& db() { return *db_; }
  redis::Client& redis() { return *redis_; }
  // A second Redis connection for blocking stream reads (XREAD BLOCK), so
  // they never delay the commands on redis(). Created on first use.
  redis::Client& blocking_redis();
  // One more dedicated connection for another blocking reader.
  std::unique_ptr<redis::Client> new_redis_connection();

  const BackendOptions& options() const { return options_; }

 private:
  static boost::asio::awaitable<void> close_at_shutdown(Backends* self);

  service::App& app_;
  BackendOptions options_;
  std::unique_ptr<pg::Pool> db_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<redis::Client> blocking_redis_;
};

}  // namespace marina::platform
