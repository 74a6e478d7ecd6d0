#include "sql_sandbox.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <set>

#include "marina/core/config.hpp"
#include "marina/core/log.hpp"
#include "marina/pg/errors.hpp"
#include "marina/pg/pool.hpp"
#include "sql_role_check.hpp"
#include "sql_rows.hpp"
#include "sql_scope_writer.hpp"

namespace marina::tenants {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

// Rows per FETCH: a big answer never sits in memory beyond max_rows + this.
constexpr std::size_t kFetchChunk = 100;

std::string first_line(std::string_view message) {
  auto nl = message.find('\n');
  message = message.substr(0, nl);
  if (message.starts_with("ERROR:")) message.remove_prefix(6);
  while (!message.empty() && message.front() == ' ') message.remove_prefix(1);
  return std::string(message);
}

std::int64_t ms_since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count();
}

SqlQueryError timeout_error(milliseconds timeout) {
  return SqlQueryError(SqlQueryError::Kind::timeout, "the query ran longer than " + std::to_string(timeout.count()) +
                                                         " ms and was cancelled (statement_timeout)");
}

// The server refused or failed the query: its own words, under the seed's code.
SqlQueryError classify(const pqxx::sql_error& e, milliseconds timeout) {
  const std::string& state = e.sqlstate();
  if (state == "57014") return timeout_error(timeout);
  // Syntax and access rules (42), read-only transaction (25006), what a
  // cursor cannot hold (0A000): the query is not allowed here. (libpqxx 6
  // throws insufficient_privilege without its SQLSTATE: known by its type.)
  if (state.starts_with("42") || state.starts_with("25") || state == "0A000" ||
      dynamic_cast<const pqxx::insufficient_privilege*>(&e) != nullptr)
    return SqlQueryError(SqlQueryError::Kind::validation_failed, first_line(e.what()));
  return SqlQueryError(SqlQueryError::Kind::database_error, first_line(e.what()));
}

void check_text(const std::string& query, std::size_t max_bytes) {
  using Kind = SqlQueryError::Kind;
  if (query.find('\0') != std::string::npos) throw SqlQueryError(Kind::validation_failed, "the query contains a NUL character");
  if (query.size() > max_bytes)
    throw SqlQueryError(Kind::validation_failed, "the query is " + std::to_string(query.size()) +
                                                     " bytes long; at most " + std::to_string(max_bytes) + " are accepted");
  if (std::all_of(query.begin(), query.end(), [](unsigned char c) { return std::isspace(c); }))
    throw SqlQueryError(Kind::validation_failed, "the query is empty");
}

// The query as a cursor: PostgreSQL accepts one SELECT, WITH ... SELECT,
// VALUES or TABLE here and nothing else (no INSERT, no DDL, no SET, no COPY,
// no data-modifying WITH), and through the extended protocol (exec_params)
// it refuses several statements in one string. No text is inspected here.
void declare(pqxx::dbtransaction& tx, const std::string& query, milliseconds timeout) {
  try {
    tx.exec_params("DECLARE marina_sql_query NO SCROLL CURSOR FOR " + query);
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "42601" || e.sqlstate() == "0A000")
      throw SqlQueryError(SqlQueryError::Kind::validation_failed,
                          "only one read-only query runs here: a SELECT (or WITH ... SELECT, VALUES, TABLE); "
                          "writes, DDL, SET, COPY and several statements are refused (PostgreSQL: " +
                              first_line(e.what()) + ")");
    throw classify(e, timeout);
  }
}

}  // namespace

const char* SqlQueryError::code() const {
  switch (kind_) {
    case Kind::validation_failed:
      return "validation_failed";
    case Kind::timeout:
      return "timeout";
    case Kind::database_error:
      break;
  }
  return "database_error";
}

nlohmann::json SqlQueryResult::json() const {
  return {{"query", query},         {"execution_time_ms", execution_time_ms}, {"row_count", row_count()},
          {"truncated", truncated}, {"columns", columns},                     {"rows", rows}};
}

SqlSandboxSettings declare_sql_sandbox_settings(core::Config& config) {
  SqlSandboxSettings s;
  s.pool.url = config.secret("SQL_SANDBOX_DATABASE_URL", "postgresql://marina_sql@127.0.0.1:55432/marina",
                             "PostgreSQL URL of the sql_query sandbox: it must log in as the sandbox role "
                             "(marina_sql, migrations/0009_sql_sandbox.sql); its password is never logged");
  s.pool.size = static_cast<std::size_t>(config.integer(
      "SQL_SANDBOX_CONNECTIONS", 2, 1, 20, "sql_query sandbox connections per process (queries run at once)"));
  s.statement_timeout = config.duration("SQL_SANDBOX_STATEMENT_TIMEOUT", std::chrono::seconds(5), milliseconds(100),
                                        std::chrono::seconds(60), "how long one sql_query may run in all");
  s.max_rows = static_cast<std::size_t>(
      config.integer("SQL_SANDBOX_MAX_ROWS", 1000, 1, 100'000, "rows one sql_query returns at most (then truncated)"));
  s.max_result_bytes = static_cast<std::size_t>(config.integer("SQL_SANDBOX_MAX_RESULT_BYTES", 1 << 20, 1024, 64 << 20,
                                                               "bytes of values one sql_query returns at most (then truncated)"));
  s.max_query_bytes = static_cast<std::size_t>(
      config.integer("SQL_SANDBOX_MAX_QUERY_BYTES", 16 * 1024, 64, 1 << 20, "longest sql_query text accepted"));
  // The pool's own session timeout is the same bound, and a query waits for
  // a free sandbox connection at most that long too.
  s.pool.statement_timeout = s.statement_timeout;
  s.pool.acquire_timeout = s.statement_timeout;
  return s;
}

struct SqlSandbox::Checked {
  std::mutex mutex;
  std::set<int> pids;
};

SqlSandbox::SqlSandbox(SqlSandboxSettings settings, const pg::PoolOptions& privileged)
    : settings_(std::move(settings)),
      scope_(std::make_unique<SqlScopeWriter>(privileged)),
      checked_(std::make_unique<Checked>()),
      pool_(std::make_unique<pg::Pool>(settings_.pool)) {}

SqlSandbox::~SqlSandbox() = default;

SqlQueryResult SqlSandbox::execute(pqxx::connection& conn, const std::string& relay_id, const std::string& query) {
  const int pid = conn.backendpid();
  bool checked = false;
  {
    std::lock_guard lock(checked_->mutex);
    checked = checked_->pids.contains(pid);
  }
  if (!checked) {
    auto problems = sandbox_role_problems(conn);
    if (!problems.empty()) {
      std::string all;
      for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
      log::error("sql sandbox role is not safe: every sql_query is refused", {{"problems", all}});
      throw SqlQueryError(SqlQueryError::Kind::database_error,
                          "the SQL sandbox is misconfigured, so no query runs (" + all + ")");
    }
    std::lock_guard lock(checked_->mutex);
    checked_->pids.insert(pid);
  }

  SqlQueryResult result;
  result.query = query;
  std::optional<SqlQueryError> error;
  scope_->scope(pid, relay_id);
  const auto start = steady_clock::now();
  try {
    pqxx::read_transaction tx(conn);
    const auto timeout = settings_.statement_timeout;
    tx.exec("SET LOCAL statement_timeout = " + std::to_string(timeout.count()));
    declare(tx, query, timeout);
    std::size_t bytes = 0;
    bool first = true;
    while (true) {
      // The timeout bounds the whole query, not each FETCH.
      const auto left = timeout.count() - ms_since(start);
      if (left <= 0) throw timeout_error(timeout);
      const std::size_t want = std::min(kFetchChunk, settings_.max_rows + 1 - result.rows.size());
      auto chunk = tx.exec("SET LOCAL statement_timeout = " + std::to_string(left) + "; FETCH FORWARD " +
                           std::to_string(want) + " FROM marina_sql_query");
      if (first) {
        for (pqxx::row::size_type c = 0; c < chunk.columns(); ++c) result.columns.emplace_back(chunk.column_name(c));
        first = false;
      }
      if (!append_rows(chunk, result.rows, settings_.max_rows, bytes, settings_.max_result_bytes)) {
        result.truncated = true;
        break;
      }
      if (chunk.size() < want) break;
    }
    tx.abort();
  } catch (const SqlQueryError& e) {
    error = e;
  } catch (const pqxx::broken_connection&) {
    scope_->clear(pid);
    throw;
  } catch (const pqxx::sql_error& e) {
    error = classify(e, settings_.statement_timeout);
  }
  result.execution_time_ms = ms_since(start);
  // Whatever the query left in the session (a setting, a prepared statement,
  // a lock) goes with it.
  try {
    pqxx::nontransaction reset(conn);
    reset.exec("DISCARD ALL");
  } catch (...) {
    scope_->clear(pid);
    throw;
  }
  scope_->clear(pid);
  if (error) throw *error;
  return result;
}

boost::asio::awaitable<SqlQueryResult> SqlSandbox::run(std::string relay_id, std::string admin, std::string query) {
  const auto start = steady_clock::now();
  std::optional<SqlQueryResult> result;
  std::optional<SqlQueryError> error;
  try {
    check_text(query, settings_.max_query_bytes);
    auto job = [this, &relay_id, &query](pqxx::connection& conn) { return execute(conn, relay_id, query); };
    result = co_await pool_->run(job);
  } catch (const SqlQueryError& e) {
    error = e;
  } catch (const pg::AcquireTimeout&) {
    error = SqlQueryError(SqlQueryError::Kind::timeout,
                          "every SQL sandbox connection stayed busy for " +
                              std::to_string(settings_.statement_timeout.count()) + " ms; try again");
  } catch (const pg::Error& e) {
    error = SqlQueryError(SqlQueryError::Kind::database_error, e.what());
  }
  log::info("sql_query", {{"relay_id", relay_id},
                          {"admin", admin},
                          {"ms", ms_since(start)},
                          {"rows", result ? result->row_count() : 0},
                          {"truncated", result && result->truncated},
                          {"outcome", error ? error->code() : "ok"}});
  if (error) throw *error;
  co_return std::move(*result);
}

}  // namespace marina::tenants
