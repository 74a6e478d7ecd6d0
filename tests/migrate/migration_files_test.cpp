// Reading migration files: names, order, checksums (no database needed).
#include <gtest/gtest.h>

#include <fstream>

#include "marina/pg/migrate.hpp"
#include "marina/testing/temp_dir.hpp"

namespace {

using marina::pg::load_migrations;
using marina::pg::MigrationError;

class MigrationFiles : public ::testing::Test {
 protected:
  void write(const std::string& file, const std::string& sql) { std::ofstream(dir_.path() / file) << sql; }
  marina::testing::TempDir dir_{"marina-migration-files"};
};

TEST_F(MigrationFiles, AreOrderedByVersionNotByName) {
  write("0010_ten.sql", "SELECT 10;");
  write("0002_two.sql", "SELECT 2;");
  write("0001_one.sql", "SELECT 1;");
  write("notes.txt", "ignored");
  auto list = load_migrations(dir_.path());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].version, 1);
  EXPECT_EQ(list[1].version, 2);
  EXPECT_EQ(list[2].version, 10);
  EXPECT_EQ(list[2].name, "ten");
  EXPECT_EQ(list[2].file_name(), "0010_ten.sql");
  EXPECT_EQ(list[0].sql, "SELECT 1;");
}

TEST_F(MigrationFiles, ChecksumIsTheSha256OfTheText) {
  write("0001_one.sql", "abc");
  EXPECT_EQ(load_migrations(dir_.path())[0].checksum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(MigrationFiles, ABadlyNamedSqlFileIsAnError) {
  write("one.sql", "SELECT 1;");
  EXPECT_THROW(load_migrations(dir_.path()), MigrationError);
}

TEST_F(MigrationFiles, TwoFilesWithOneVersionAreAnError) {
  write("0001_one.sql", "SELECT 1;");
  write("1_uno.sql", "SELECT 1;");
  EXPECT_THROW(load_migrations(dir_.path()), MigrationError);
}

TEST_F(MigrationFiles, AMissingDirectoryIsAnError) {
  EXPECT_THROW(load_migrations(dir_.path() / "nope"), MigrationError);
}

}  // namespace
