// Reading migrations/NNNN_name.sql from disk.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "marina/pg/migrate.hpp"
#include "sha256.hpp"

namespace marina::pg {

namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MigrationError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string Migration::file_name() const {
  char version_text[16];
  std::snprintf(version_text, sizeof version_text, "%04d", version);
  return std::string(version_text) + "_" + name + ".sql";
}

Migration make_migration(int version, std::string name, std::string sql) {
  Migration m;
  m.version = version;
  m.name = std::move(name);
  m.checksum = detail::sha256_hex(sql);
  m.sql = std::move(sql);
  return m;
}

std::vector<Migration> load_migrations(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) throw MigrationError("no migrations directory at " + dir.string());
  std::map<int, Migration> by_version;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    std::string stem = entry.path().stem().string();
    auto underscore = stem.find('_');
    int version = 0;
    auto [end, ec] = std::from_chars(stem.data(), stem.data() + (underscore == std::string::npos ? 0 : underscore), version);
    if (underscore == std::string::npos || underscore == 0 || ec != std::errc() || end != stem.data() + underscore ||
        version <= 0 || !valid_name(std::string_view(stem).substr(underscore + 1)))
      throw MigrationError("migration file not named NNNN_name.sql: " + entry.path().filename().string());
    auto migration = make_migration(version, stem.substr(underscore + 1), read_file(entry.path()));
    auto [it, inserted] = by_version.emplace(version, migration);
    if (!inserted)
      throw MigrationError("two migrations with version " + std::to_string(version) + ": " + it->second.file_name() +
                           " and " + entry.path().filename().string());
  }
  std::vector<Migration> out;
  for (auto& [version, migration] : by_version) out.push_back(std::move(migration));
  return out;
}

}  // namespace marina::pg
