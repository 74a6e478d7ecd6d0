#include "marina/core/config.hpp"

#include <gtest/gtest.h>

#include <map>

using marina::core::Config;
using marina::core::ConfigError;
using namespace std::chrono_literals;

namespace {
Config from(std::map<std::string, std::string> env) {
  return Config([env](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}
}  // namespace

TEST(Config, DefaultsApplyWhenUnset) {
  auto c = from({});
  EXPECT_EQ(c.port("PORT", 8080, "p"), 8080);
  EXPECT_EQ(c.string("HOST", "127.0.0.1", "h"), "127.0.0.1");
  EXPECT_EQ(c.duration("T", 5s, 1ms, 1h, "t"), 5s);
  EXPECT_TRUE(c.boolean("B", true, "b"));
  EXPECT_NO_THROW(c.finish());
}

TEST(Config, ParsesTypedValues) {
  auto c = from({{"PORT", "9000"}, {"T", "250ms"}, {"B", "off"}, {"L", " a, b ,,c "}, {"N", "42"}});
  EXPECT_EQ(c.port("PORT", 1, ""), 9000);
  EXPECT_EQ(c.duration("T", 5s, 1ms, 1h, ""), 250ms);
  EXPECT_FALSE(c.boolean("B", true, ""));
  EXPECT_EQ(c.list("L", "", ""), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c.integer("N", 0, 0, 100, ""), 42);
  EXPECT_NO_THROW(c.finish());
}

TEST(Config, BadValueNamesTheVariableInOneLine) {
  auto c = from({{"PORT", "70000"}, {"N", "x"}});
  c.port("PORT", 1, "");
  c.integer("N", 0, 0, 10, "");
  try {
    c.finish();
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("PORT"), std::string::npos);
    EXPECT_NE(msg.find("and 1 more"), std::string::npos);
    EXPECT_EQ(msg.find('\n'), std::string::npos);
  }
}

TEST(Config, OutOfRangeAndRequired) {
  auto c = from({{"N", "11"}});
  c.integer("N", 0, 0, 10, "");
  EXPECT_THROW(c.finish(), ConfigError);
  auto d = from({});
  d.required_string("DATABASE_URL", "");
  EXPECT_THROW(d.finish(), ConfigError);
}

TEST(Config, ChoiceAndDuration) {
  auto c = from({{"LEVEL", "loud"}, {"D", "2m"}});
  c.choice("LEVEL", "info", {"debug", "info"}, "");
  EXPECT_EQ(c.duration("D", 1s, 1s, 1h, ""), 120s);
  EXPECT_THROW(c.finish(), ConfigError);
  EXPECT_FALSE(marina::core::parse_duration("5x"));
  EXPECT_FALSE(marina::core::parse_duration("-1s"));
  EXPECT_EQ(*marina::core::parse_duration("1h"), 3600s);
}

TEST(Config, SecretsAreNeverShownInTheTable) {
  auto c = from({{"PLATFORM_SECRET", "hunter2"}});
  EXPECT_EQ(c.secret("PLATFORM_SECRET", "", "the secret"), "hunter2");
  auto table = c.markdown_table();
  EXPECT_EQ(table.find("hunter2"), std::string::npos);
  EXPECT_NE(table.find("PLATFORM_SECRET"), std::string::npos);
}
