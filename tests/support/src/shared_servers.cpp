#include "marina/testing/shared_servers.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>

#include "marina/testing/pg_server.hpp"
#include "marina/testing/redis_server.hpp"
#include "pg_admin.hpp"

namespace marina::testing {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

}  // namespace

std::string PgEndpoint::create_database(const std::string& name) const {
  detail::create_database(url_, name);
  return detail::with_database(url_, name);
}

std::string PgEndpoint::fresh_database() const { return create_database(unique_name("t")); }

const PgEndpoint& shared_pg() {
  // Function-local statics: started on first use, stopped at exit.
  static const PgEndpoint endpoint = [] {
    if (const char* url = env("MARINA_TEST_DATABASE_URL")) return PgEndpoint(url);
    static PgServer own;
    return PgEndpoint(own.url());
  }();
  return endpoint;
}

const RedisEndpoint& shared_redis() {
  static const RedisEndpoint endpoint = [] {
    if (const char* url = env("MARINA_TEST_REDIS_URL")) return RedisEndpoint(url);
    static RedisServer own;
    return RedisEndpoint(own.url());
  }();
  return endpoint;
}

std::string unique_name(std::string_view prefix) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}() & 0xffffff;
  return std::string(prefix) + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(salt);
}

}  // namespace marina::testing
