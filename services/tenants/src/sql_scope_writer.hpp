#pragma once
// Writes which relay a sandbox connection may see (sql_sandbox_scope, keyed
// by its backend pid), through connections of the privileged role: the
// sandbox role cannot write the table, so no query can widen its own scope.
//
// Called from a sandbox pool thread in the middle of that connection's job
// (the pid is only known there), so it blocks; it keeps at most as many
// connections as there are sandbox connections, opened on first use and
// dropped when broken.
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "marina/pg/options.hpp"

namespace marina::tenants {

class SqlScopeWriter {
 public:
  explicit SqlScopeWriter(const pg::PoolOptions& privileged);

  // The backend `pid` sees relay `relay_id` from now on. Throws pqxx errors.
  void scope(int pid, const std::string& relay_id);
  // The backend `pid` sees nothing. Never throws (a row left behind is
  // overwritten before that pid's next query and names a relay only).
  void clear(int pid) noexcept;

 private:
  std::unique_ptr<pqxx::connection> take();
  void give_back(std::unique_ptr<pqxx::connection> conn);

  std::string conninfo_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
};

}  // namespace marina::tenants
