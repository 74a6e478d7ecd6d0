#include "pooled_connection.hpp"

#include <poll.h>

#include <pqxx/nontransaction>

namespace marina::pg::detail {

PooledConnection::PooledConnection(const std::string& info, std::chrono::milliseconds statement_timeout)
    : conn_(info) {
  // libpqxx 6 would otherwise reconnect silently on next use after a break,
  // losing session settings such as statement_timeout; the pool replaces
  // broken connections itself.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  conn_.inhibit_reactivation(true);
#pragma GCC diagnostic pop
  pqxx::nontransaction tx(conn_);
  tx.exec("SET statement_timeout = " + std::to_string(statement_timeout.count()));
}

bool PooledConnection::usable_when_idle() const {
  if (!conn_.is_open()) return false;
  pollfd p{conn_.sock(), POLLIN, 0};
  // Nothing is owed to an idle connection, so anything readable (an error
  // message, EOF) means the server gave up on it.
  int r = ::poll(&p, 1, 0);
  return r == 0;
}

void PooledConnection::catch_up(const Statements& registered) {
  for (; prepared_ < registered.size(); ++prepared_) conn_.prepare(registered[prepared_].first, registered[prepared_].second);
}

}  // namespace marina::pg::detail
