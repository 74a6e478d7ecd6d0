#pragma once
// One libpqxx connection as the pool keeps it.
#include <chrono>
#include <cstddef>
#include <pqxx/connection>
#include <string>
#include <utility>
#include <vector>

namespace marina::pg::detail {

using Statements = std::vector<std::pair<std::string, std::string>>;  // name, SQL

class PooledConnection {
 public:
  // Connects (blocking, bounded by connect_timeout in `info`) and sets the
  // session's statement_timeout. Throws what libpqxx throws.
  PooledConnection(const std::string& info, std::chrono::milliseconds statement_timeout);

  pqxx::connection& get() { return conn_; }

  // False when the server has closed or written to the idle connection, e.g.
  // "terminating connection due to administrator command" during a restart:
  // such a connection would fail its next query.
  bool usable_when_idle() const;

  // How many of the pool's registered statements this connection defines.
  std::size_t prepared() const { return prepared_; }
  // Defines on this connection the statements registered since it last looked.
  void catch_up(const Statements& registered);

 private:
  pqxx::connection conn_;
  std::size_t prepared_ = 0;
};

}  // namespace marina::pg::detail
