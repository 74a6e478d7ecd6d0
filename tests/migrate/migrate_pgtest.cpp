// The migration runner (marina/pg/migrate.hpp) against a real PostgreSQL.
#include <gtest/gtest.h>

#include <barrier>
#include <fstream>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "marina/pg/migrate.hpp"
#include "marina/testing/shared_servers.hpp"
#include "marina/testing/temp_dir.hpp"

namespace {

using marina::pg::MigrationError;
using marina::pg::MigrationStatus;

class Migrations : public ::testing::Test {
 protected:
  void write(const std::string& file, const std::string& sql) { std::ofstream(dir_.path() / file) << sql; }
  std::vector<marina::pg::Migration> load() { return marina::pg::load_migrations(dir_.path()); }

  std::vector<int> migrate() {
    pqxx::connection conn(url_);
    return marina::pg::migrate(conn, load());
  }

  // One value (first column of the first row).
  template <typename T>
  T query(const std::string& sql) {
    pqxx::connection conn(url_);
    pqxx::nontransaction tx(conn);
    return tx.exec1(sql)[0].as<T>();
  }

  bool table_exists(const std::string& name) { return query<bool>("SELECT to_regclass('" + name + "') IS NOT NULL"); }

  marina::testing::TempDir dir_{"marina-migrations"};
  std::string url_ = marina::testing::shared_pg().fresh_database();
};

TEST_F(Migrations, AppliesInVersionOrderAndRecordsEach) {
  write("0002_add_rows.sql", "INSERT INTO items VALUES (1), (2);");
  write("0001_items.sql", "CREATE TABLE items (id int);");
  write("README.md", "not a migration");
  EXPECT_EQ(migrate(), (std::vector<int>{1, 2}));
  EXPECT_EQ(query<int>("SELECT count(*) FROM items"), 2);
  EXPECT_EQ(query<std::string>("SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM schema_migrations"),
            "1:items,2:add_rows");
  EXPECT_EQ(query<std::string>("SELECT checksum FROM schema_migrations WHERE version = 1"), load()[0].checksum);
  EXPECT_TRUE(query<bool>("SELECT bool_and(applied_at <= now()) FROM schema_migrations"));
}

TEST_F(Migrations, ARunWithNothingPendingChangesNothing) {
  write("0001_items.sql", "CREATE TABLE items (id int); INSERT INTO items VALUES (1);");
  EXPECT_EQ(migrate(), (std::vector<int>{1}));
  EXPECT_EQ(migrate(), (std::vector<int>{}));
  EXPECT_EQ(query<int>("SELECT count(*) FROM items"), 1);
  write("0002_more.sql", "INSERT INTO items VALUES (2);");
  EXPECT_EQ(migrate(), (std::vector<int>{2}));
  EXPECT_EQ(query<int>("SELECT count(*) FROM items"), 2);
}

// Replicas starting together: each file runs exactly once, everyone succeeds.
TEST_F(Migrations, ConcurrentRunnersApplyEachMigrationExactlyOnce) {
  write("0001_items.sql", "SELECT pg_sleep(0.2); CREATE TABLE items (id int);");
  write("0002_rows.sql", "INSERT INTO items VALUES (1);");
  write("0003_more_rows.sql", "INSERT INTO items VALUES (2);");
  constexpr int kRunners = 6;
  std::barrier start(kRunners);
  std::mutex mutex;
  std::vector<int> applied;
  std::vector<std::string> errors;
  std::vector<std::thread> runners;
  for (int i = 0; i < kRunners; ++i) {
    runners.emplace_back([&] {
      try {
        pqxx::connection conn(url_);
        auto migrations = load();
        start.arrive_and_wait();
        auto mine = marina::pg::migrate(conn, migrations);
        std::lock_guard lock(mutex);
        applied.insert(applied.end(), mine.begin(), mine.end());
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors.push_back(e.what());
      }
    });
  }
  for (auto& t : runners) t.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  std::sort(applied.begin(), applied.end());
  EXPECT_EQ(applied, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(query<int>("SELECT count(*) FROM items"), 2);
  EXPECT_EQ(query<int>("SELECT count(*) FROM schema_migrations"), 3);
}

TEST_F(Migrations, AnAppliedFileThatWasEditedIsAnError) {
  write("0001_items.sql", "CREATE TABLE items (id int);");
  write("0002_rows.sql", "INSERT INTO items VALUES (1);");
  migrate();
  write("0001_items.sql", "CREATE TABLE items (id bigint);");
  write("0003_more.sql", "INSERT INTO items VALUES (3);");
  try {
    migrate();
    FAIL() << "an edited migration was accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0001_items.sql was changed"), std::string::npos) << e.what();
  }
  // Nothing else ran either.
  EXPECT_EQ(query<int>("SELECT count(*) FROM items"), 1);

  pqxx::connection conn(url_);
  auto status = marina::pg::migration_status(conn, load());
  ASSERT_EQ(status.size(), 3u);
  EXPECT_EQ(status[0].state, MigrationStatus::State::changed);
  EXPECT_EQ(status[1].state, MigrationStatus::State::applied);
  EXPECT_EQ(status[2].state, MigrationStatus::State::pending);
}

TEST_F(Migrations, AFailingMigrationRollsBackAndStopsTheRun) {
  write("0001_items.sql", "CREATE TABLE items (id int);");
  write("0002_broken.sql", "CREATE TABLE half (id int); INSERT INTO items VALUES (1); SELECT no_such_function();");
  write("0003_after.sql", "CREATE TABLE after_broken (id int);");
  try {
    migrate();
    FAIL() << "a failing migration was reported as applied";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0002_broken.sql failed"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no_such_function"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(table_exists("items"));
  EXPECT_FALSE(table_exists("half"));
  EXPECT_FALSE(table_exists("after_broken"));
  EXPECT_EQ(query<int>("SELECT count(*) FROM items"), 0);
  EXPECT_EQ(query<std::string>("SELECT string_agg(version::text, ',') FROM schema_migrations"), "1");

  // Fixed (it never ran, so it may change): the run picks up where it stopped.
  write("0002_broken.sql", "CREATE TABLE half (id int);");
  EXPECT_EQ(migrate(), (std::vector<int>{2, 3}));
  EXPECT_TRUE(table_exists("after_broken"));
}

TEST_F(Migrations, StatusListsAppliedPendingAndUnknownWithoutChangingAnything) {
  {
    pqxx::connection conn(url_);
    auto status = marina::pg::migration_status(conn, {marina::pg::make_migration(1, "a", "SELECT 1;")});
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].state, MigrationStatus::State::pending);
  }
  EXPECT_FALSE(table_exists("schema_migrations"));

  write("0001_a.sql", "SELECT 1;");
  write("0002_b.sql", "SELECT 2;");
  migrate();
  std::filesystem::remove(dir_.path() / "0002_b.sql");
  write("0003_c.sql", "SELECT 3;");
  pqxx::connection conn(url_);
  auto status = marina::pg::migration_status(conn, load());
  ASSERT_EQ(status.size(), 3u);
  EXPECT_EQ(status[0].state, MigrationStatus::State::applied);
  EXPECT_FALSE(status[0].applied_at.empty());
  EXPECT_EQ(status[1].state, MigrationStatus::State::unknown);
  EXPECT_EQ(status[1].name, "b");
  EXPECT_EQ(status[2].state, MigrationStatus::State::pending);
}

// The repository's own migrations apply to an empty database, twice harmlessly.
TEST_F(Migrations, TheProjectMigrationsApplyCleanly) {
  const char* source = std::getenv("MARINA_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "run through ctest (MARINA_SOURCE_DIR)";
  auto migrations = marina::pg::load_migrations(std::filesystem::path(source) / "migrations");
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().file_name(), "0001_platform.sql");
  pqxx::connection conn(url_);
  EXPECT_EQ(marina::pg::migrate(conn, migrations).size(), migrations.size());
  EXPECT_TRUE(marina::pg::migrate(conn, migrations).empty());

  // 0001: tenants keyed by hex pubkey, updated_at maintained by the database.
  pqxx::nontransaction tx(conn);
  std::string pubkey(64, 'a');
  tx.exec("INSERT INTO tenants (pubkey, created_at, updated_at) VALUES ('" + pubkey +
          "', now() - interval '1 day', now() - interval '1 day')");
  EXPECT_EQ(tx.exec1("SELECT status FROM tenants")[0].as<std::string>(), "active");
  tx.exec("UPDATE tenants SET status = 'suspended'");
  EXPECT_TRUE(tx.exec1("SELECT updated_at > created_at + interval '1 hour' FROM tenants")[0].as<bool>());
  EXPECT_THROW(tx.exec("INSERT INTO tenants (pubkey) VALUES ('npub1notahexkey')"), pqxx::check_violation);
}

}  // namespace
