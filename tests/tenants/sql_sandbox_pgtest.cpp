// The sql_query sandbox against a real PostgreSQL (migrations/0009): an
// admin reads their own relay through seed 004's tables and views, and every
// way out fails with a clear error and changes nothing: writes, DDL, SET
// ROLE, SET statement_timeout, COPY, another relay's rows, platform tables,
// file and side-effect functions, several statements, a query that runs too
// long (cancelled at the timeout) or returns too much (cut, marked truncated).
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "marina/nostr/hex.hpp"
#include "sql_sandbox.hpp"
#include "tenants_fixture.hpp"

namespace marina::tenants {
namespace {

using nlohmann::json;
using Kind = SqlQueryError::Kind;

// The test database's URL logged in as `role` instead (trust auth here).
std::string as_role(const std::string& url, const std::string& role) {
  const auto scheme = url.find("://");
  const auto at = url.find('@', scheme);
  return url.substr(0, scheme + 3) + role + url.substr(at);
}

struct Refusal {
  std::string code, message;
};

class SqlSandboxTest : public TenantsPgTest {
 protected:
  SqlSandboxTest() {
    owner_ = new_pubkey();
    mine_ = create(owner_, unique("sqlmine")).id;
    theirs_ = create(new_pubkey(), unique("sqltheirs")).id;
    add_event(mine_, 1, 1000, "hello", R"([["t","x"]])");
    add_event(mine_, 1, 2000, "world", "[]");
    add_event(mine_, 0, 3000, R"({\"name\":\"alice\"})", "[]");
    other_event_ = add_event(theirs_, 1, 1500, "secret of another relay", "[]");
  }

  SqlSandboxSettings settings(std::size_t connections = 1) {
    SqlSandboxSettings s;
    s.pool.url = as_role(*url_, "marina_sql");
    s.pool.size = connections;
    s.pool.statement_timeout = s.statement_timeout;
    s.pool.acquire_timeout = s.statement_timeout;
    return s;
  }
  pg::PoolOptions privileged() {
    pg::PoolOptions o;
    o.url = *url_;
    return o;
  }

  // An event row as the store keeps it, with a random id; returns the id (hex).
  std::string add_event(const std::string& relay, int kind, std::int64_t created_at, const std::string& content,
                        const std::string& tags) {
    const std::string id = new_pubkey(), pubkey = new_pubkey();
    const std::string raw = R"({"id":")" + id + R"(","pubkey":")" + pubkey + R"(","created_at":)" +
                            std::to_string(created_at) + R"(,"kind":)" + std::to_string(kind) + R"(,"tags":)" + tags +
                            R"(,"content":")" + content + R"(","sig":")" + std::string(128, 'a') + R"("})";
    pqxx::connection conn(*url_);
    pqxx::work tx(conn);
    tx.exec_params(
        "INSERT INTO events (relay_id, id, pubkey, kind, created_at, raw) VALUES ($1, decode($2, 'hex'), decode($3, "
        "'hex'), $4, $5, $6)",
        relay, id, pubkey, kind, created_at, raw);
    tx.commit();
    return id;
  }

  SqlQueryResult ok(SqlSandbox& sandbox, const std::string& sql, const std::string& relay = "") {
    const std::string r = relay.empty() ? mine_ : relay;
    return run([&]() { return sandbox.run(r, owner_, sql); });
  }
  Refusal refused(SqlSandbox& sandbox, const std::string& sql) {
    try {
      run([&]() { return sandbox.run(mine_, owner_, sql); });
    } catch (const SqlQueryError& e) {
      return {e.code(), e.what()};
    }
    return {"ok", ""};
  }
  // Every row of every table a query could have touched, as one string.
  std::string everything() {
    return query(
               "SELECT (SELECT count(*) FROM events)::text || '/' || (SELECT count(*) FROM relays) || '/' || "
               "(SELECT count(*) FROM tenants) || '/' || (SELECT count(*) FROM relay_auth_rules) || '/' || "
               "(SELECT count(*) FROM relay_config) || '/' || (SELECT count(*) FROM sql_sandbox_scope) || '/' || "
               "(SELECT string_agg(subdomain || status, ',' ORDER BY id) FROM relays) || '/' || "
               "(SELECT count(*) FROM pg_largeobject_metadata) || '/' || "
               "(SELECT count(*) FROM pg_class WHERE relnamespace = 'relay_sql'::regnamespace)")[0][0]
        .c_str();
  }

  std::string owner_, mine_, theirs_, other_event_;
};

TEST_F(SqlSandboxTest, ReadsItsOwnRelayWithTheSeedsColumns) {
  SqlSandbox sandbox(settings(), privileged());
  auto r = ok(sandbox, "SELECT id, pubkey, created_at, kind, content, tags, sig FROM events ORDER BY created_at DESC");
  EXPECT_EQ(r.columns, (std::vector<std::string>{"id", "pubkey", "created_at", "kind", "content", "tags", "sig"}));
  ASSERT_EQ(r.row_count(), 3u);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.rows[0][2], 3000);
  EXPECT_EQ(r.rows[0][3], 0);
  EXPECT_EQ(r.rows[0][4], R"({"name":"alice"})");
  EXPECT_EQ(r.rows[2][5], R"([["t","x"]])");
  EXPECT_EQ(r.rows[2][6], std::string(128, 'a'));
  const json out = r.json();
  EXPECT_EQ(out["row_count"], 3);
  EXPECT_EQ(out["query"], r.query);
  EXPECT_TRUE(out.contains("execution_time_ms"));
  EXPECT_EQ(query("SELECT count(*) FROM sql_sandbox_scope")[0][0].as<int>(), 0) << "the scope ends with the query";
}

TEST_F(SqlSandboxTest, TheSeedsExampleQueriesAndViewsRun) {
  SqlSandbox sandbox(settings(), privileged());
  EXPECT_EQ(ok(sandbox, "SELECT id, pubkey, created_at, kind FROM events ORDER BY created_at DESC LIMIT 20").row_count(),
            3u);
  auto kinds = ok(sandbox, "SELECT * FROM event_kinds_view ORDER BY count DESC");
  ASSERT_EQ(kinds.row_count(), 2u);
  EXPECT_EQ(kinds.rows[0], json::array({1, 2, 66.7}));
  auto stats = ok(sandbox,
                  "SELECT (SELECT COUNT(*) FROM events) as total_events, (SELECT COUNT(*) FROM subscription_events) "
                  "as total_subscriptions, (SELECT COUNT(DISTINCT pubkey) FROM events) as unique_pubkeys");
  EXPECT_EQ(stats.rows[0], json::array({3, 0, 3}));
  EXPECT_EQ(ok(sandbox, "SELECT COUNT(*) as count, kind FROM events WHERE created_at BETWEEN 500 AND 2500 GROUP BY kind "
                        "ORDER BY count DESC")
                .rows[0],
            json::array({2, 1}));
  EXPECT_EQ(ok(sandbox, "SELECT * FROM active_subscriptions_log ORDER BY created_at DESC").row_count(), 0u);
  for (const char* view : {"recent_events", "event_stats", "subscription_analytics", "top_pubkeys_view",
                           "time_stats_view", "config", "auth_rules", "event_broadcasts"}) {
    EXPECT_NO_THROW(ok(sandbox, std::string("SELECT * FROM ") + view)) << view;
  }
  EXPECT_EQ(ok(sandbox, "SELECT total FROM time_stats_view").rows[0][0], 3);
  EXPECT_EQ(ok(sandbox, "SELECT count(*) FROM top_pubkeys_view").rows[0][0], 3);
}

TEST_F(SqlSandboxTest, SeesOnlyTheRelayItIsScopedTo) {
  SqlSandbox sandbox(settings(), privileged());
  query("INSERT INTO relay_auth_rules (relay_id, rule_type, pattern_type, pattern_value) VALUES ('" + theirs_ +
        "', 'blacklist', 'kind', '7')");
  query("INSERT INTO relay_config (relay_id, key, value) VALUES ('" + theirs_ + "', 'relay_name', 'theirs')");
  query("INSERT INTO relay_subscription_log (relay_id, subscription_id, client_id, client_ip, event_type, "
        "filter_json, created_at) VALUES ('" + theirs_ + "', 's', 'c', '10.0.0.1', 'created', '[]', 1)");
  query("INSERT INTO relay_broadcast_log (relay_id, event_id, subscription_id, client_id, created_at) VALUES ('" +
        theirs_ + "', 'e', 's', 'c', 1)");
  EXPECT_EQ(ok(sandbox, "SELECT * FROM events WHERE id = '" + other_event_ + "'").row_count(), 0u);
  EXPECT_EQ(ok(sandbox, "SELECT count(*) FROM events WHERE content LIKE '%secret%'").rows[0][0], 0);
  for (const char* table : {"auth_rules", "config", "subscription_events", "event_broadcasts",
                            "active_subscriptions_log", "subscription_analytics"}) {
    EXPECT_EQ(ok(sandbox, std::string("SELECT * FROM ") + table).row_count(), 0u) << table;
  }
  // The same query scoped to the other relay sees its rows: the scope, not the data, decides.
  EXPECT_EQ(ok(sandbox, "SELECT * FROM events WHERE id = '" + other_event_ + "'", theirs_).row_count(), 1u);
  EXPECT_EQ(ok(sandbox, "SELECT * FROM auth_rules", theirs_).row_count(), 1u);
  EXPECT_EQ(ok(sandbox, "SELECT * FROM active_subscriptions_log", theirs_).row_count(), 1u);
}

TEST_F(SqlSandboxTest, EveryWriteAndCommandIsRefusedAndChangesNothing) {
  SqlSandbox sandbox(settings(), privileged());
  const std::string before = everything();
  for (const std::string sql : {
           "INSERT INTO events (id) VALUES ('x')",
           "UPDATE events SET content = 'x'",
           "DELETE FROM events",
           "DELETE FROM public.relays",
           "TRUNCATE events",
           "DROP VIEW events",
           "CREATE TABLE x (a int)",
           "CREATE TEMP TABLE x (a int)",
           "ALTER ROLE marina_sql SUPERUSER",
           "SET ROLE postgres",
           "RESET ROLE",
           "SET SESSION AUTHORIZATION postgres",
           "SET statement_timeout = 0",
           "COPY events TO STDOUT",
           "COPY (SELECT 1) TO '/tmp/marina_sql_copy'",
           "SELECT 1; DELETE FROM events",
           "SELECT 1; SELECT 2",
           "WITH gone AS (DELETE FROM events RETURNING *) SELECT * FROM gone",
           "SELECT * INTO stolen FROM events",
           "SELECT * FROM events FOR UPDATE",
           "DO $$ BEGIN PERFORM 1; END $$",
           "PREPARE p AS SELECT 1",
           "LISTEN x",
           "NOTIFY x",
           "BEGIN",
           "COMMIT",
       }) {
    const auto r = refused(sandbox, sql);
    EXPECT_EQ(r.code, "validation_failed") << sql << ": " << r.message;
    EXPECT_FALSE(r.message.empty()) << sql;
  }
  EXPECT_EQ(everything(), before);
  EXPECT_EQ(ok(sandbox, "SELECT count(*) FROM events").rows[0][0], 3);
}

TEST_F(SqlSandboxTest, PlatformTablesFilesAndSideEffectFunctionsAreOutOfReach) {
  SqlSandbox sandbox(settings(), privileged());
  const std::string before = everything();
  for (const std::string sql : {
           "SELECT * FROM relays",
           "SELECT * FROM public.relays",
           "SELECT relay_secret_enc FROM public.relays",
           "SELECT * FROM public.tenants",
           "SELECT * FROM public.events",
           "SELECT * FROM public.events_p0",
           "SELECT * FROM public.relay_activity",
           "SELECT * FROM public.sql_sandbox_scope",
           "SELECT * FROM public.schema_migrations",
           "SELECT pg_read_file('postgresql.conf')",
           "SELECT pg_read_binary_file('postgresql.conf')",
           "SELECT pg_ls_dir('.')",
           "SELECT dblink('dbname=postgres', 'DELETE FROM events')",
           "SELECT pg_advisory_lock(1)",
           "SELECT pg_try_advisory_xact_lock(1)",
           "SELECT pg_advisory_lock_shared(1)",
           "SELECT set_config('statement_timeout', '0', false)",
           "SELECT pg_notify('x', 'y')",
           "SELECT lo_create(0)",
           "SELECT lo_import('/etc/passwd')",
           "SELECT pg_terminate_backend(pg_backend_pid())",
           "SELECT pg_cancel_backend(1)",
           "SELECT query_to_xml('DELETE FROM public.events', true, false, '')",
           "SELECT txid_current()",
           "SELECT nextval('relay_activity_id_seq')",
           "SELECT pg_reload_conf()",
       }) {
    const auto r = refused(sandbox, sql);
    EXPECT_EQ(r.code, "validation_failed") << sql << ": " << r.message;
  }
  EXPECT_NE(refused(sandbox, "SELECT * FROM public.relays").message.find("permission denied"), std::string::npos);
  EXPECT_NE(refused(sandbox, "SELECT pg_advisory_lock(1)").message.find("permission denied"), std::string::npos);
  EXPECT_EQ(everything(), before);
}

TEST_F(SqlSandboxTest, ALongQueryIsCancelledAtTheTimeoutEvenAfterTryingToRaiseIt) {
  SqlSandbox sandbox(settings(1), privileged());  // one connection: the same session every time
  EXPECT_EQ(refused(sandbox, "SET statement_timeout = 0").code, "validation_failed");
  EXPECT_EQ(refused(sandbox, "SELECT set_config('statement_timeout', '0', false)").code, "validation_failed");
  const auto start = std::chrono::steady_clock::now();
  const auto r = refused(sandbox, "SELECT pg_sleep(10)");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.code, "timeout") << r.message;
  EXPECT_NE(r.message.find("5000 ms"), std::string::npos) << r.message;
  EXPECT_GE(took, std::chrono::milliseconds(4900));
  EXPECT_LT(took, std::chrono::milliseconds(7000));
  // The session is usable, and scoped afresh, after a cancelled query.
  EXPECT_EQ(ok(sandbox, "SELECT count(*) FROM events").rows[0][0], 3);
}

TEST_F(SqlSandboxTest, ABigAnswerIsCutAtTheBoundsAndMarkedTruncated) {
  SqlSandbox sandbox(settings(), privileged());
  auto r = ok(sandbox, "SELECT g, 'row ' || g AS label FROM generate_series(1, 100000) g");
  EXPECT_EQ(r.row_count(), 1000u);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.rows[999], json::array({1000, "row 1000"}));
  EXPECT_TRUE(r.json()["truncated"].get<bool>());
  auto exact = ok(sandbox, "SELECT g FROM generate_series(1, 1000) g");
  EXPECT_EQ(exact.row_count(), 1000u);
  EXPECT_FALSE(exact.truncated) << "exactly the limit is not truncated";

  auto s = settings();
  s.max_rows = 5;
  s.max_result_bytes = 2048;
  SqlSandbox small(s, privileged());
  EXPECT_EQ(ok(small, "SELECT g FROM generate_series(1, 10) g").row_count(), 5u);
  auto wide = ok(small, "SELECT repeat('x', 1000) FROM generate_series(1, 5)");
  EXPECT_EQ(wide.row_count(), 2u);
  EXPECT_TRUE(wide.truncated);
}

TEST_F(SqlSandboxTest, ValuesKeepTheirJsonTypes) {
  SqlSandbox sandbox(settings(), privileged());
  auto r = ok(sandbox, "SELECT 1::int2, 2::int8, 1.5::float8, 2.25::numeric, true, NULL::text, 'x', "
                       "'{\"a\":1}'::json, 'NaN'::float8, 12345678901234567890::numeric");
  EXPECT_EQ(r.rows[0], json::array({1, 2, 1.5, 2.25, true, nullptr, "x", R"({"a":1})", "NaN",
                                    "12345678901234567890"}));
}

TEST_F(SqlSandboxTest, BadQueryTextIsRefusedBeforeItRuns) {
  auto s = settings();
  s.max_query_bytes = 100;
  SqlSandbox sandbox(s, privileged());
  EXPECT_EQ(refused(sandbox, "   ").code, "validation_failed");
  EXPECT_EQ(refused(sandbox, std::string("SELECT 1\0; DELETE", 17)).code, "validation_failed");
  EXPECT_EQ(refused(sandbox, "SELECT " + std::string(200, '1')).code, "validation_failed");
  const auto typo = refused(sandbox, "SELEC 1");
  EXPECT_EQ(typo.code, "validation_failed");
  EXPECT_NE(typo.message.find("syntax error"), std::string::npos) << typo.message;
  EXPECT_EQ(refused(sandbox, "SELECT 1/0").code, "database_error");
  EXPECT_EQ(ok(sandbox, "SELECT 1;").rows[0][0], 1) << "one statement with its semicolon is fine";
}

TEST_F(SqlSandboxTest, APrivilegedRoleIsNeverUsedAsTheSandbox) {
  auto s = settings();
  s.pool.url = *url_;  // postgres, a superuser: a misconfigured deployment
  SqlSandbox sandbox(s, privileged());
  const std::string before = everything();
  const auto r = refused(sandbox, "SELECT count(*) FROM public.relays");
  EXPECT_EQ(r.code, "database_error");
  EXPECT_NE(r.message.find("misconfigured"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("superuser"), std::string::npos) << r.message;
  EXPECT_EQ(everything(), before);
}

}  // namespace
}  // namespace marina::tenants
