#include "marina/core/log.hpp"

#include <gtest/gtest.h>

namespace log = marina::log;

TEST(Log, OneJsonObjectPerLineWithFields) {
  log::init("tenants", log::Level::info);
  std::string line = log::format(log::Level::warn, "slow \"query\"", {{"ms", 12}, {"table", "relays"}, {"ok", true}});
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NE(line.find(R"("level":"warn")"), std::string::npos);
  EXPECT_NE(line.find(R"("service":"tenants")"), std::string::npos);
  EXPECT_NE(line.find(R"("msg":"slow \"query\"")"), std::string::npos);
  EXPECT_NE(line.find(R"("ms":12)"), std::string::npos);
  EXPECT_NE(line.find(R"("table":"relays")"), std::string::npos);
  EXPECT_NE(line.find(R"("ok":true)"), std::string::npos);
}

TEST(Log, CredentialsAreRedacted) {
  std::string line = log::format(log::Level::info, "request",
                                 {{"authorization", "Nostr abc"}, {"relay_secret_key", "deadbeef"},
                                  {"value", log::Redacted{"hidden"}}});
  EXPECT_EQ(line.find("Nostr abc"), std::string::npos);
  EXPECT_EQ(line.find("deadbeef"), std::string::npos);
  EXPECT_EQ(line.find("hidden"), std::string::npos);
  EXPECT_NE(line.find("[redacted]"), std::string::npos);
}

TEST(Log, ControlCharactersAreEscaped) {
  std::string out;
  log::append_json_escaped(out, std::string("a\x01\n\\", 4));
  EXPECT_EQ(out, "a\\u0001\\n\\\\");
}
