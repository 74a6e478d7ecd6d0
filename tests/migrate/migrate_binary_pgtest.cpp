// The marina-migrate binary: several processes at once, --status, exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "marina/testing/free_port.hpp"
#include "marina/testing/shared_servers.hpp"
#include "marina/testing/temp_dir.hpp"

namespace {

std::string binary() {
  const char* build = std::getenv("MARINA_BINARY_DIR");
  return std::string(build != nullptr ? build : ".") + "/services/migrate/marina-migrate";
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class MigrateBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "0001_items.sql") << "SELECT pg_sleep(0.2); CREATE TABLE items (id int);";
    std::ofstream(dir_.path() / "0002_rows.sql") << "INSERT INTO items VALUES (1);";
  }

  // Runs `copies` processes at once; returns their exit codes; output in out.<i>.
  std::vector<int> run(int copies, const std::string& url, const std::string& args = "",
                       const std::string& extra_env = "") {
    std::ostringstream script;
    script << "cd '" << work_.path().string() << "' && for i in $(seq 1 " << copies << "); do ("
           << "env DATABASE_URL='" << url << "' MIGRATIONS_DIR='" << dir_.path().string() << "' " << extra_env << " '"
           << binary() << "' " << args << " >out.$i 2>&1; echo $? >rc.$i) & done; wait";
    std::ofstream(work_.path() / "run.sh") << script.str() << "\n";
    int status = std::system(("bash '" + (work_.path() / "run.sh").string() + "'").c_str());
    EXPECT_EQ(WEXITSTATUS(status), 0);
    std::vector<int> codes;
    for (int i = 1; i <= copies; ++i) codes.push_back(std::stoi(read(work_.path() / ("rc." + std::to_string(i)))));
    return codes;
  }

  std::string output(int i) { return read(work_.path() / ("out." + std::to_string(i))); }

  marina::testing::TempDir dir_{"marina-migrations"};
  marina::testing::TempDir work_{"marina-migrate-run"};
  std::string url_ = marina::testing::shared_pg().fresh_database();
};

TEST_F(MigrateBinary, SeveralProcessesAtOnceApplyEachFileOnce) {
  EXPECT_EQ(run(4, url_), (std::vector<int>{0, 0, 0, 0}));
  pqxx::connection conn(url_);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM items")[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<int>(), 2);
}

TEST_F(MigrateBinary, StatusListsEachFile) {
  EXPECT_EQ(run(1, url_, "--status"), (std::vector<int>{0}));
  EXPECT_NE(output(1).find("0001_items.sql"), std::string::npos) << output(1);
  EXPECT_NE(output(1).find("pending"), std::string::npos) << output(1);
  run(1, url_);
  run(1, url_, "--status");
  auto out = output(1);
  EXPECT_NE(out.find("0002_rows.sql"), std::string::npos) << out;
  EXPECT_EQ(out.find("pending"), std::string::npos) << out;
}

TEST_F(MigrateBinary, AnUnreachableDatabaseExitsOneWithoutLeakingThePassword) {
  auto url = "postgresql://marina:s3cret@127.0.0.1:" + std::to_string(marina::testing::free_port()) + "/x";
  EXPECT_EQ(run(1, url), (std::vector<int>{1}));
  EXPECT_NE(output(1).find("database unreachable"), std::string::npos) << output(1);
  EXPECT_EQ(output(1).find("s3cret"), std::string::npos) << output(1);
}

TEST_F(MigrateBinary, ABadSettingExitsTwoWithOneLine) {
  EXPECT_EQ(run(1, url_, "", "LOG_LEVEL=loud"), (std::vector<int>{2}));
  EXPECT_NE(output(1).find("LOG_LEVEL"), std::string::npos) << output(1);
}

}  // namespace
