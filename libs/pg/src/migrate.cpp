// Applying migrations under the advisory lock.
#include <chrono>
#include <map>
#include <pqxx/pqxx>

#include "marina/core/log.hpp"
#include "marina/pg/migrate.hpp"

namespace marina::pg {

namespace {

struct Recorded {
  std::string name;
  std::string checksum;
  std::string applied_at;
};

const char* const kCreateTable = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))";

std::map<int, Recorded> recorded(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  std::map<int, Recorded> out;
  if (tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL")[0][0].as<bool>() == false) return out;
  for (const auto& row : tx.exec("SELECT version, name, checksum, applied_at::text FROM schema_migrations"))
    out[row[0].as<int>()] = Recorded{row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()};
  return out;
}

// Session-level advisory lock, released on every way out (and by the server
// if the connection dies).
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& conn) : conn_(conn) {
    pqxx::nontransaction tx(conn_);
    tx.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction tx(conn_);
      tx.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    } catch (...) {
      // The connection is gone, and with it the lock.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection& conn_;
};

void apply(pqxx::connection& conn, const Migration& m) {
  auto started = std::chrono::steady_clock::now();
  try {
    pqxx::work tx(conn);
    tx.exec(m.sql);
    tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", m.version, m.name,
                   m.checksum);
    tx.commit();
  } catch (const pqxx::failure& e) {
    std::string message = e.what();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw MigrationError("migration " + m.file_name() + " failed and was rolled back: " + message);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  log::info("migration applied", {{"version", m.version}, {"name", m.name}, {"ms", ms}});
}

}  // namespace

std::vector<int> migrate(pqxx::connection& conn, const std::vector<Migration>& migrations) {
  MigrationLock lock(conn);
  {
    pqxx::nontransaction tx(conn);
    tx.exec(kCreateTable);
  }
  auto done = recorded(conn);
  // Refuse before changing anything: an edited file means the schema is not what the files say.
  for (const auto& m : migrations) {
    auto it = done.find(m.version);
    if (it != done.end() && it->second.checksum != m.checksum)
      throw MigrationError("migration " + m.file_name() + " was changed after it was applied (recorded checksum " +
                           it->second.checksum.substr(0, 12) + ", file " + m.checksum.substr(0, 12) + ")");
  }
  std::vector<int> applied;
  for (const auto& m : migrations) {
    if (done.contains(m.version)) continue;
    apply(conn, m);
    applied.push_back(m.version);
  }
  return applied;
}

std::vector<MigrationStatus> migration_status(pqxx::connection& conn, const std::vector<Migration>& migrations) {
  auto done = recorded(conn);
  std::map<int, MigrationStatus> out;
  for (const auto& m : migrations) {
    MigrationStatus s{m.version, m.name, MigrationStatus::State::pending, ""};
    if (auto it = done.find(m.version); it != done.end()) {
      s.state = it->second.checksum == m.checksum ? MigrationStatus::State::applied : MigrationStatus::State::changed;
      s.applied_at = it->second.applied_at;
    }
    out[m.version] = s;
  }
  for (const auto& [version, r] : done) {
    if (!out.contains(version)) out[version] = MigrationStatus{version, r.name, MigrationStatus::State::unknown, r.applied_at};
  }
  std::vector<MigrationStatus> list;
  for (auto& [version, s] : out) list.push_back(std::move(s));
  return list;
}

const char* to_string(MigrationStatus::State state) {
  switch (state) {
    case MigrationStatus::State::applied:
      return "applied";
    case MigrationStatus::State::pending:
      return "pending";
    case MigrationStatus::State::changed:
      return "CHANGED";
    case MigrationStatus::State::unknown:
      return "unknown";
  }
  return "?";
}

}  // namespace marina::pg
