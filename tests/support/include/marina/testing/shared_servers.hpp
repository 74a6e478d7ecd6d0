#pragma once
// The PostgreSQL and Redis servers that all tests of one test binary share.
//
// `make test` (scripts/test.sh) starts one of each with scripts/test-servers.sh
// and exports MARINA_TEST_DATABASE_URL / MARINA_TEST_REDIS_URL; then every
// binary uses those. Run alone (e.g. straight from the build directory), a
// binary starts its own PgServer / RedisServer on first use and stops it at
// exit. Tests that stop or crash a server start their own instead.
//
// Isolation: a PostgreSQL test takes a fresh database (fresh_database()); a
// Redis test prefixes its keys with unique_name().
#include <string>
#include <string_view>

namespace marina::testing {

class PgEndpoint {
 public:
  explicit PgEndpoint(std::string url) : url_(std::move(url)) {}
  const std::string& url() const { return url_; }
  // Creates database `name` on this server and returns its URL.
  std::string create_database(const std::string& name) const;
  // A new, empty database with a unique name; returns its URL.
  std::string fresh_database() const;

 private:
  std::string url_;
};

class RedisEndpoint {
 public:
  explicit RedisEndpoint(std::string url) : url_(std::move(url)) {}
  const std::string& url() const { return url_; }

 private:
  std::string url_;
};

const PgEndpoint& shared_pg();
const RedisEndpoint& shared_redis();

// "<prefix>_<pid>_<n>_<random>": unique across tests and test binaries running
// at once; lower-case, so it is also a valid unquoted PostgreSQL name.
std::string unique_name(std::string_view prefix);

}  // namespace marina::testing
