#pragma once
// Schema migrations: numbered SQL files (migrations/NNNN_name.sql) applied in
// version order, each in its own transaction, recorded in
//   schema_migrations(version, name, checksum, applied_at)
// while holding a PostgreSQL advisory lock, so replicas that start together
// apply each file exactly once (the others wait, then find nothing to do).
//
// A file that was applied and then edited is an error (its checksum no longer
// matches): fix forward with a new file. A failing file rolls back and stops
// the run; files after it are not attempted. Statements that cannot run in a
// transaction (CREATE INDEX CONCURRENTLY, ...) are therefore not supported.
//
//   pqxx::connection conn(marina::pg::conninfo(options));
//   auto applied = marina::pg::migrate(conn, marina::pg::load_migrations("migrations"));
#include <cstdint>
#include <filesystem>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "marina/pg/errors.hpp"

namespace marina::pg {

struct Migration {
  int version = 0;
  std::string name;      // "platform" for 0001_platform.sql
  std::string sql;
  std::string checksum;  // SHA-256 of sql, hex

  std::string file_name() const;  // "0001_platform.sql"
};

class MigrationError : public Error {
 public:
  using Error::Error;
};

// The advisory lock key every runner takes (pg_advisory_lock(bigint)).
inline constexpr std::int64_t kMigrationLockKey = 0x6d6172696e61;  // "marina"

// The *.sql files of `dir`, by version. A .sql file not named NNNN_name.sql,
// or two files with one version, is a MigrationError. Other files are ignored.
std::vector<Migration> load_migrations(const std::filesystem::path& dir);

// Builds a Migration from its file name and text (used by load_migrations and tests).
Migration make_migration(int version, std::string name, std::string sql);

// Applies the pending migrations; returns the versions this call applied.
// Throws MigrationError (changed checksum, failing file) or what the
// connection throws.
std::vector<int> migrate(pqxx::connection& conn, const std::vector<Migration>& migrations);

struct MigrationStatus {
  enum class State {
    applied,  // recorded, file unchanged
    pending,  // file not applied yet
    changed,  // recorded with another checksum: the file was edited after it ran
    unknown,  // recorded, but no such file here (applied by a newer release?)
  };
  int version = 0;
  std::string name;
  State state = State::pending;
  std::string applied_at;  // "" unless recorded
};

// Every file and every recorded version, by version. Takes no lock and
// changes nothing (a database never migrated shows everything pending).
std::vector<MigrationStatus> migration_status(pqxx::connection& conn, const std::vector<Migration>& migrations);

const char* to_string(MigrationStatus::State state);

}  // namespace marina::pg
