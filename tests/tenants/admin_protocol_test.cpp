// The words of the admin commands that need no server: what a decrypted
// command must look like, the seed's three response shapes, and a response
// too large for NIP-44 cut to fit (marked truncated, total still counted).
#include <gtest/gtest.h>

#include "admin_commands.hpp"
#include "admin_protocol.hpp"

namespace marina::tenants::admin {
namespace {

ErrorCode code_of(std::string_view plaintext) {
  try {
    parse_command(plaintext);
  } catch (const CommandError& e) {
    return e.code();
  }
  return ErrorCode::database_error;  // "no error" is not expected by any case below
}

TEST(AdminProtocol, ACommandIsAJsonArrayNamedByItsFirstString) {
  const Command c = parse_command(R"(["auth_query", "pattern", "abc"])");
  EXPECT_EQ(c.name, "auth_query");
  EXPECT_EQ(c.param_count(), 2u);
  EXPECT_EQ(c.text_param(2, "the pattern"), "abc");
  for (const char* bad : {"", "not json", "{}", "[]", "[1]", R"([""])", R"({"command":"config_query"})", "\"x\""})
    EXPECT_EQ(code_of(bad), ErrorCode::invalid_command) << bad;
}

TEST(AdminProtocol, AMissingOrNonTextParameterIsAValidationFailure) {
  const Command c = parse_command(R"(["blacklist", 7])");
  try {
    c.text_param(1, "the pattern type");
    FAIL() << "a number taken as text";
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation_failed);
  }
  try {
    c.text_param(2, "the pattern value");
    FAIL() << "a missing parameter taken";
  } catch (const CommandError& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation_failed);
    EXPECT_NE(std::string(e.what()).find("the pattern value"), std::string::npos) << e.what();
  }
}

TEST(AdminProtocol, ResponsesHaveTheSeedsFields) {
  const auto q = query_response("auth_rules_all", nlohmann::json::array({1, 2}), 1700000000);
  EXPECT_EQ(q, (nlohmann::json{{"query_type", "auth_rules_all"}, {"total_results", 2}, {"timestamp", 1700000000},
                               {"data", {1, 2}}}));
  const auto s = success_response("auth_add", "Blacklist rule added successfully", 1);
  EXPECT_EQ(s, (nlohmann::json{{"query_type", "auth_add"}, {"status", "success"},
                               {"message", "Blacklist rule added successfully"}, {"timestamp", 1}}));
  const auto e = error_response("config_update", ErrorCode::validation_failed, "max_event_tags: 5 is not ...", 1);
  EXPECT_EQ(e["status"], "error");
  EXPECT_EQ(e["error"], "validation_failed: max_event_tags: 5 is not ...");
  EXPECT_EQ(e["error_code"], "validation_failed");
  for (auto code : {ErrorCode::invalid_signature, ErrorCode::unauthorized, ErrorCode::invalid_command,
                    ErrorCode::validation_failed, ErrorCode::database_error, ErrorCode::timeout})
    EXPECT_FALSE(to_string(code).empty());
}

TEST(AdminProtocol, AResponseTooLargeForNip44IsCutAndMarked) {
  nlohmann::json data = nlohmann::json::array();
  for (int i = 0; i < 5000; ++i) data.push_back({{"pattern_value", std::string(64, 'a')}, {"i", i}});
  const std::string text = serialize_bounded(query_response("auth_rules_all", data, 1), 65535);
  EXPECT_LE(text.size(), 65535u);
  const auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["total_results"], 5000);
  EXPECT_EQ(back["truncated"], true);
  EXPECT_GT(back["data"].size(), 100u);
  EXPECT_LT(back["data"].size(), 5000u);
  // As many as fit: one more would not.
  nlohmann::json more = back;
  more["data"].push_back(data[back["data"].size()]);
  EXPECT_GT(more.dump().size(), 65535u);
  // Small responses are left alone.
  const std::string small = serialize_bounded(success_response("auth_add", "ok", 1), 65535);
  EXPECT_EQ(nlohmann::json::parse(small).contains("truncated"), false);
}

TEST(AdminProtocol, EveryCommandOfTheSeedIsInTheTable) {
  const CommandTable table = standard_commands();
  for (const char* name : {"config_query", "config_update", "blacklist", "whitelist", "delete_auth_rule", "auth_query",
                           "system_command", "stats_query", "sql_query"})
    EXPECT_NE(table.find(name), nullptr) << name;
  EXPECT_EQ(table.find("frobnicate"), nullptr);
  CommandTable twice;
  twice.add("x", config_query);
  EXPECT_THROW(twice.add("x", config_query), std::logic_error);
}

}  // namespace
}  // namespace marina::tenants::admin
