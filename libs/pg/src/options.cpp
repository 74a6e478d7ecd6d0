#include "marina/pg/options.hpp"

#include "marina/core/config.hpp"

namespace marina::pg {

using std::chrono::milliseconds;
using std::chrono::seconds;

PoolOptions connection_options(core::Config& config) {
  PoolOptions o;
  o.url = config.string("DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/marina",
                        "PostgreSQL connection URL (libpq syntax); its password is never logged");
  o.connect_timeout = config.duration("DATABASE_CONNECT_TIMEOUT", seconds(5), seconds(1), seconds(300),
                                      "how long opening a PostgreSQL connection may take (whole seconds)");
  return o;
}

PoolOptions pool_options(core::Config& config) {
  PoolOptions o = connection_options(config);
  o.size = static_cast<std::size_t>(
      config.integer("DATABASE_POOL_SIZE", 8, 1, 500, "PostgreSQL connections (and query threads) per process"));
  o.statement_timeout = config.duration("DATABASE_STATEMENT_TIMEOUT", seconds(30), milliseconds(0), seconds(3600),
                                        "server-side limit per SQL statement (0 = none)");
  o.acquire_timeout = config.duration("DATABASE_ACQUIRE_TIMEOUT", seconds(5), milliseconds(1), seconds(600),
                                      "how long a query waits for a free pooled connection");
  return o;
}

}  // namespace marina::pg
