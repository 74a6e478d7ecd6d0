#pragma once
// The sql_query command's sandbox (seed 004 "Database Queries", issue #11):
// one call runs one admin's query over one relay's data and answers seed
// 004's sql_query fields, or a typed error.
//
// Read-only for real, not by reading the query text (migrations/0009_sql_sandbox.sql):
//   * the query runs on a connection that logged in as the sandbox role
//     (SQL_SANDBOX_DATABASE_URL, role marina_sql), which can read only the
//     views of schema relay_sql (events, config, auth_rules, ...); before it
//     runs, a privileged connection scopes that connection's backend to the
//     relay (sql_sandbox_scope), and the views show only that relay's rows;
//   * BEGIN READ ONLY, SET LOCAL statement_timeout, the statement as a
//     cursor (DECLARE ... CURSOR FOR <query> through the extended protocol:
//     PostgreSQL itself refuses anything but one query), rows fetched in
//     chunks up to max_rows + 1 (the extra one says "truncated") or
//     max_result_bytes, ROLLBACK, then DISCARD ALL: nothing the query did
//     survives it;
//   * before a connection's first query the sandbox checks from that
//     connection that its role is harmless (no superuser, no table grant
//     outside relay_sql, no side-effect function): a deployment whose DBA
//     skipped the migration's REVOKEs gets database_error, not a hole.
// Every query is logged with relay, admin, time, row count and outcome
// (never the rows).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <vector>

#include "marina/pg/options.hpp"

namespace marina::core {
class Config;
}
namespace marina::pg {
class Pool;
}

namespace marina::tenants {

struct SqlSandboxSettings {
  // The sandbox role's connections (SQL_SANDBOX_DATABASE_URL, SQL_SANDBOX_CONNECTIONS).
  pg::PoolOptions pool;
  // SET LOCAL statement_timeout, for the whole query (SQL_SANDBOX_STATEMENT_TIMEOUT).
  std::chrono::milliseconds statement_timeout{std::chrono::seconds(5)};
  // Rows returned at most; more are cut and the answer is marked truncated (SQL_SANDBOX_MAX_ROWS).
  std::size_t max_rows = 1000;
  // Bytes of field values returned at most, same rule (SQL_SANDBOX_MAX_RESULT_BYTES).
  std::size_t max_result_bytes = 1 << 20;
  // Longest query text accepted (SQL_SANDBOX_MAX_QUERY_BYTES).
  std::size_t max_query_bytes = 16 * 1024;
};

// Declares SQL_SANDBOX_*. Bad values are reported by config.finish().
SqlSandboxSettings declare_sql_sandbox_settings(core::Config& config);

// What went wrong, as seed 004's error codes.
class SqlQueryError : public std::runtime_error {
 public:
  enum class Kind { validation_failed, database_error, timeout };
  SqlQueryError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }
  // "validation_failed", "database_error" or "timeout".
  const char* code() const;

 private:
  Kind kind_;
};

// seed 004's sql_query answer, without query_type, request_id and timestamp
// (the command dispatcher adds those).
struct SqlQueryResult {
  std::string query;
  std::vector<std::string> columns;
  // One JSON array per row: integers and floats as numbers, booleans as
  // booleans, NULL as null, everything else (json, timestamps, text) as text.
  nlohmann::json rows = nlohmann::json::array();
  bool truncated = false;
  std::int64_t execution_time_ms = 0;

  std::size_t row_count() const { return rows.size(); }
  // {query, execution_time_ms, row_count, truncated, columns, rows}
  nlohmann::json json() const;
};

class SqlScopeWriter;

class SqlSandbox {
 public:
  // `privileged` is the service's own pool options (DATABASE_URL): the scope
  // of each sandbox connection is written through connections opened with it.
  SqlSandbox(SqlSandboxSettings settings, const pg::PoolOptions& privileged);
  ~SqlSandbox();
  SqlSandbox(const SqlSandbox&) = delete;
  SqlSandbox& operator=(const SqlSandbox&) = delete;

  // Runs `query` over relay `relay_id` (a relay's uuid) for `admin` (hex
  // pubkey, for the log). Throws SqlQueryError.
  boost::asio::awaitable<SqlQueryResult> run(std::string relay_id, std::string admin, std::string query);

 private:
  // The pids of sandbox connections whose role was checked (sql_role_check.hpp).
  struct Checked;
  // On a sandbox pool thread: scope, check, run, reset.
  SqlQueryResult execute(pqxx::connection& conn, const std::string& relay_id, const std::string& query);

  SqlSandboxSettings settings_;
  std::unique_ptr<SqlScopeWriter> scope_;
  std::unique_ptr<Checked> checked_;
  // Last: destroyed first, so no job outlives what it uses.
  std::unique_ptr<pg::Pool> pool_;
};

}  // namespace marina::tenants
