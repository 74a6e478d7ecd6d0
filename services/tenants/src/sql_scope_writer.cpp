#include "sql_scope_writer.hpp"

#include "marina/core/log.hpp"
#include "marina/pg/conninfo.hpp"

namespace marina::tenants {

SqlScopeWriter::SqlScopeWriter(const pg::PoolOptions& privileged) : conninfo_(pg::conninfo(privileged)) {}

std::unique_ptr<pqxx::connection> SqlScopeWriter::take() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  auto conn = std::make_unique<pqxx::connection>(conninfo_);
  // A broken connection is dropped here, never silently reopened by libpqxx.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
  return conn;
}

void SqlScopeWriter::give_back(std::unique_ptr<pqxx::connection> conn) {
  if (!conn->is_open()) return;
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(conn));
}

void SqlScopeWriter::scope(int pid, const std::string& relay_id) {
  auto conn = take();
  {
    pqxx::nontransaction tx(*conn);
    tx.exec_params(
        "INSERT INTO sql_sandbox_scope (pid, relay_id) VALUES ($1, $2) "
        "ON CONFLICT (pid) DO UPDATE SET relay_id = EXCLUDED.relay_id, scoped_at = now()",
        pid, relay_id);
  }
  give_back(std::move(conn));
}

void SqlScopeWriter::clear(int pid) noexcept {
  try {
    auto conn = take();
    {
      pqxx::nontransaction tx(*conn);
      tx.exec_params("DELETE FROM sql_sandbox_scope WHERE pid = $1", pid);
    }
    give_back(std::move(conn));
  } catch (const std::exception& e) {
    log::warn("sql sandbox scope not cleared", {{"pid", pid}, {"error", e.what()}});
  }
}

}  // namespace marina::tenants
