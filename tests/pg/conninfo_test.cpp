#include "marina/pg/conninfo.hpp"

#include <gtest/gtest.h>

#include "marina/core/config.hpp"

namespace {

using marina::pg::conninfo;
using marina::pg::redact;

TEST(Conninfo, AddsConnectTimeoutAndKeepalivesToAUrl) {
  marina::pg::PoolOptions o;
  o.url = "postgresql://u@h:5432/db";
  o.connect_timeout = std::chrono::milliseconds(2500);
  EXPECT_EQ(conninfo(o),
            "postgresql://u@h:5432/db?connect_timeout=3&keepalives=1&keepalives_idle=30&keepalives_interval=10"
            "&keepalives_count=3");
}

TEST(Conninfo, KeepsWhatTheOperatorSet) {
  marina::pg::PoolOptions o;
  o.url = "postgresql://u@h/db?sslmode=require&connect_timeout=9";
  auto info = conninfo(o);
  EXPECT_NE(info.find("connect_timeout=9"), std::string::npos);
  EXPECT_EQ(info.find("connect_timeout=5"), std::string::npos);
  EXPECT_EQ(info.rfind("postgresql://u@h/db?sslmode=require&connect_timeout=9&keepalives=1", 0), 0u);
}

TEST(Conninfo, KeyValueFormGetsSpaceSeparatedItems) {
  marina::pg::PoolOptions o;
  o.url = "host=h dbname=db";
  EXPECT_EQ(conninfo(o).rfind("host=h dbname=db connect_timeout=5 keepalives=1", 0), 0u);
}

TEST(Redact, HidesPasswordsInEveryForm) {
  EXPECT_EQ(redact("postgresql://marina:s3cret@db:5432/marina"), "postgresql://marina:***@db:5432/marina");
  EXPECT_EQ(redact("postgresql://marina@db/x?password=s3cret&sslmode=require"),
            "postgresql://marina@db/x?password=***&sslmode=require");
  EXPECT_EQ(redact("host=db password=s3cret user=u"), "host=db password=*** user=u");
  EXPECT_EQ(redact("postgresql://marina@db/x"), "postgresql://marina@db/x");
}

TEST(PoolOptions, ComeFromTheEnvironmentWithDefaults) {
  std::map<std::string, std::string> env = {{"DATABASE_URL", "postgresql://a@b/c"}, {"DATABASE_POOL_SIZE", "3"},
                                            {"DATABASE_STATEMENT_TIMEOUT", "250ms"}};
  marina::core::Config config([&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
  auto o = marina::pg::pool_options(config);
  config.finish();
  EXPECT_EQ(o.url, "postgresql://a@b/c");
  EXPECT_EQ(o.size, 3u);
  EXPECT_EQ(o.statement_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(o.acquire_timeout, std::chrono::seconds(5));
}

TEST(PoolOptions, ABadValueIsAConfigError) {
  marina::core::Config config([](const std::string& name) -> std::optional<std::string> {
    if (name == "DATABASE_POOL_SIZE") return "0";
    return std::nullopt;
  });
  marina::pg::pool_options(config);
  EXPECT_THROW(config.finish(), marina::core::ConfigError);
}

}  // namespace
