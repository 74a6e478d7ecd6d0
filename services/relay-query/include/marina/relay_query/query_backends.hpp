#pragma once
// relay-query's PostgreSQL pool and Redis connections, set up as
// platform::Backends does (the DATABASE_* / REDIS_* variables from
// platform::declare_backends, readiness checks "postgres" and "redis", the
// shared Redis client closed once the public server has drained).
//
// Why not platform::Backends itself: its shutdown task is a lambda coroutine
// that captures `this` in a closure destroyed right after spawn(); when the
// task resumes at SIGTERM it reads a dead closure and the service crashes
// (SIGSEGV at libs/platform/src/backends.cpp:48, seen on relay-query). This
// class does the same job with the pointer as a coroutine parameter; switch
// back once libs/platform is fixed.
#include <memory>

#include "marina/platform/backends.hpp"

namespace marina::pg { class Pool; }
namespace marina::redis { class Client; }
namespace marina::service { class App; }

namespace marina::relay_query {

class QueryBackends {
 public:
  // Construct after the App, so it is destroyed before the App's io_context.
  QueryBackends(service::App& app, platform::BackendOptions options);
  ~QueryBackends();
  QueryBackends(const QueryBackends&) = delete;
  QueryBackends& operator=(const QueryBackends&) = delete;

  pg::Pool& db() { return *db_; }
  // For short commands (XADD): never blocked by a stream read.
  redis::Client& redis() { return *redis_; }
  // A connection of its own for one blocking stream reader; its owner closes it.
  std::unique_ptr<redis::Client> new_redis_connection();

 private:
  service::App& app_;
  platform::BackendOptions options_;
  std::unique_ptr<pg::Pool> db_;
  std::unique_ptr<redis::Client> redis_;
};

}  // namespace marina::relay_query
