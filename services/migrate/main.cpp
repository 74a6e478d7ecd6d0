// marina-migrate: applies migrations/NNNN_name.sql to DATABASE_URL in order,
// under the advisory lock (see marina/pg/migrate.hpp). Several replicas may
// run it at once. `--status` lists what is applied and what is pending.
// Exit status: 0 done, 1 a migration or the database failed, 2 bad usage/config.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include "marina/core/config.hpp"
#include "marina/core/log.hpp"
#include "marina/pg/conninfo.hpp"
#include "marina/pg/migrate.hpp"
#include "marina/pg/options.hpp"

namespace {

constexpr const char* kUsage =
    "usage: marina-migrate [--status] [--config-help]\n"
    "  applies pending migrations from MIGRATIONS_DIR to DATABASE_URL\n"
    "  --status       list applied and pending migrations, change nothing\n"
    "  --config-help  the environment variables, as a Markdown table\n";

// An installed binary finds <prefix>/share/marina/migrations; a build tree
// finds the source checkout's migrations/.
std::string default_migrations_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "marina" / "migrations";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return MARINA_SOURCE_MIGRATIONS_DIR;
}

void print_status(const std::vector<marina::pg::MigrationStatus>& list) {
  for (const auto& s : list) {
    marina::pg::Migration m;
    m.version = s.version;
    m.name = s.name;
    std::printf("%-40s %-8s %s\n", m.file_name().c_str(), marina::pg::to_string(s.state), s.applied_at.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool status_only = false;
  bool config_help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--status") {
      status_only = true;
    } else if (arg == "--config-help") {
      config_help = true;
    } else {
      std::cerr << kUsage;
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }

  marina::core::Config config;
  auto options = marina::pg::connection_options(config);
  auto dir = config.string("MIGRATIONS_DIR", default_migrations_dir(), "directory of the NNNN_name.sql files");
  auto level_name = config.choice("LOG_LEVEL", "info", {"debug", "info", "warn", "error"}, "least severe level logged");
  if (config_help) {
    std::cout << config.markdown_table();
    return 0;
  }
  try {
    config.finish();
  } catch (const marina::core::ConfigError& e) {
    std::cerr << "marina-migrate: " << e.what() << "\n";
    return 2;
  }
  marina::log::Level level = marina::log::Level::info;
  marina::log::parse_level(level_name, level);
  marina::log::init("migrate", level);

  try {
    auto migrations = marina::pg::load_migrations(dir);
    pqxx::connection conn(marina::pg::conninfo(options));
    if (status_only) {
      print_status(marina::pg::migration_status(conn, migrations));
      return 0;
    }
    auto applied = marina::pg::migrate(conn, migrations);
    marina::log::info("migrations done", {{"applied", applied.size()}, {"known", migrations.size()}, {"dir", dir}});
    return 0;
  } catch (const pqxx::broken_connection& e) {
    marina::log::error("database unreachable", {{"url", marina::pg::redact(options.url)}, {"error", e.what()}});
  } catch (const std::exception& e) {
    marina::log::error("migration failed", {{"error", e.what()}});
  }
  return 1;
}
