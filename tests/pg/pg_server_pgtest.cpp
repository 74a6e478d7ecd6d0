// The harness itself: PgServer and the shared server.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "marina/testing/pg_server.hpp"
#include "marina/testing/shared_servers.hpp"

namespace {

int count_rows(const std::string& url) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  return tx.exec1("SELECT count(*) FROM t")[0].as<int>();
}

TEST(PgServer, KeepsItsPortAndDataAcrossARestart) {
  marina::testing::PgServer server;
  {
    pqxx::connection conn(server.url());
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
  }
  auto port = server.port();
  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_THROW(pqxx::connection(server.url()), pqxx::broken_connection);
  server.start();
  EXPECT_EQ(server.port(), port);
  EXPECT_EQ(count_rows(server.url()), 1);
}

TEST(PgServer, CreatesDatabases) {
  marina::testing::PgServer server;
  auto url = server.create_database("other");
  EXPECT_EQ(url, server.url("other"));
  pqxx::connection conn(url);
  EXPECT_STREQ(conn.dbname(), "other");
}

TEST(SharedPg, FreshDatabasesAreSeparate) {
  const auto& pg = marina::testing::shared_pg();
  auto a = pg.fresh_database();
  auto b = pg.fresh_database();
  EXPECT_NE(a, b);
  {
    pqxx::connection conn(a);
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE TABLE t (x int)");
  }
  pqxx::connection conn(b);
  pqxx::nontransaction tx(conn);
  EXPECT_FALSE(tx.exec1("SELECT to_regclass('t') IS NOT NULL")[0].as<bool>());
}

}  // namespace
