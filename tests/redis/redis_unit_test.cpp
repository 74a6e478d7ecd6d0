// The parts of marina::redis that need no server: URLs, replies, stream parsing, stream ids.
#include <gtest/gtest.h>

#include "marina/core/config.hpp"
#include "marina/redis/errors.hpp"
#include "marina/redis/options.hpp"
#include "marina/redis/streams.hpp"

namespace {

using marina::redis::Reply;

Reply s(std::string v) { return Reply::make_string(std::move(v)); }
Reply arr(std::vector<Reply> v) { return Reply::make_array(std::move(v)); }
Reply entry(std::string id, std::vector<std::string> flat) {
  std::vector<Reply> fields;
  for (auto& f : flat) fields.push_back(s(f));
  return arr({s(std::move(id)), arr(std::move(fields))});
}

TEST(RedisUrl, HostPortAndDatabase) {
  auto o = marina::redis::parse_url("redis://cache.internal:6380/2");
  EXPECT_EQ(o.host, "cache.internal");
  EXPECT_EQ(o.port, 6380);
  EXPECT_EQ(o.db, 2);
  EXPECT_TRUE(o.password.empty());
  EXPECT_EQ(marina::redis::describe(o), "cache.internal:6380/2");
}

TEST(RedisUrl, DefaultsAndIpv6) {
  auto o = marina::redis::parse_url("redis://[::1]");
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 6379);
  EXPECT_EQ(o.db, 0);
  EXPECT_EQ(marina::redis::describe(o), "[::1]:6379/0");
}

TEST(RedisUrl, CredentialsArePercentDecodedAndNeverDescribed) {
  auto o = marina::redis::parse_url("redis://app:p%40ss%3Aword@h:1/0");
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "p@ss:word");
  EXPECT_EQ(marina::redis::describe(o).find("p@ss"), std::string::npos);
  auto lone = marina::redis::parse_url("redis://:secret@h");
  EXPECT_EQ(lone.username, "");
  EXPECT_EQ(lone.password, "secret");
}

TEST(RedisUrl, RejectsWhatItCannotServe) {
  EXPECT_THROW(marina::redis::parse_url("rediss://h"), std::invalid_argument);
  EXPECT_THROW(marina::redis::parse_url("http://h"), std::invalid_argument);
  EXPECT_THROW(marina::redis::parse_url("redis://h:99999"), std::invalid_argument);
  EXPECT_THROW(marina::redis::parse_url("redis://h/x"), std::invalid_argument);
  EXPECT_THROW(marina::redis::parse_url("redis://:6379"), std::invalid_argument);
}

TEST(RedisConfig, ABadUrlIsAConfigErrorNamingTheVariable) {
  marina::core::Config config([](const std::string& name) -> std::optional<std::string> {
    if (name == "REDIS_URL") return "rediss://secret@h";
    return std::nullopt;
  });
  try {
    marina::redis::client_options(config);
    FAIL() << "accepted";
  } catch (const marina::core::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("REDIS_URL: ", 0), 0u) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST(RedisConfig, DefaultsComeFromTheDeclaration) {
  marina::core::Config config([](const std::string&) -> std::optional<std::string> { return std::nullopt; });
  auto o = marina::redis::client_options(config);
  config.finish();
  EXPECT_EQ(o.port, 56379);
  EXPECT_EQ(o.connect_timeout, std::chrono::seconds(5));
}

TEST(Reply, TypedAccessThrowsOnTheWrongType) {
  EXPECT_EQ(s("x").as_string(), "x");
  EXPECT_EQ(Reply::make_status("OK").as_string(), "OK");
  EXPECT_THROW(Reply::make_integer(1).as_string(), marina::redis::ProtocolError);
  EXPECT_THROW(Reply::make_nil().as_array(), marina::redis::ProtocolError);
  try {
    Reply::make_error("WRONGTYPE Operation against a key holding the wrong kind of value").as_integer();
    FAIL();
  } catch (const marina::redis::CommandError& e) {
    EXPECT_EQ(e.code(), "WRONGTYPE");
  }
}

TEST(StreamParsing, ReadRepliesBecomeBatchesOfEntries) {
  auto reply = arr({arr({s("a"), arr({entry("1-0", {"k", "v", "k2", "v2"})})}), arr({s("b"), arr({entry("2-0", {})})})});
  auto batches = marina::redis::parse_read(reply);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].stream, "a");
  ASSERT_EQ(batches[0].entries.size(), 1u);
  EXPECT_EQ(batches[0].entries[0].id, "1-0");
  EXPECT_EQ(batches[0].entries[0].fields, (marina::redis::Fields{{"k", "v"}, {"k2", "v2"}}));
  EXPECT_EQ(*batches[0].entries[0].field("k2"), "v2");
  EXPECT_EQ(batches[0].entries[0].field("nope"), nullptr);
  EXPECT_TRUE(marina::redis::parse_read(Reply::make_nil()).empty());  // BLOCK timed out
}

TEST(StreamParsing, ADeletedEntryHasNoFields) {
  auto entries = marina::redis::parse_entries(arr({arr({s("3-0"), Reply::make_nil()})}));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].fields.empty());
}

TEST(StreamParsing, AutoclaimHasNextIdEntriesAndDeletedIds) {
  auto reply = arr({s("5-0"), arr({entry("1-0", {"k", "v"})}), arr({s("2-0")})});
  auto r = marina::redis::parse_autoclaim(reply);
  EXPECT_EQ(r.next_id, "5-0");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].id, "1-0");
  EXPECT_EQ(r.deleted_ids, (std::vector<std::string>{"2-0"}));
}

TEST(StreamParsing, MalformedRepliesAreProtocolErrors) {
  EXPECT_THROW(marina::redis::parse_entries(arr({arr({s("1-0")})})), marina::redis::ProtocolError);
  EXPECT_THROW(marina::redis::parse_entries(arr({entry("1-0", {"odd"})})), marina::redis::ProtocolError);
  EXPECT_THROW(marina::redis::parse_autoclaim(arr({s("0-0")})), marina::redis::ProtocolError);
}

TEST(StreamIds, OrderAndTime) {
  using marina::redis::compare_stream_ids;
  using marina::redis::stream_id_ms;
  EXPECT_EQ(stream_id_ms("1700000000123-7"), 1700000000123);
  EXPECT_FALSE(stream_id_ms("abc-1"));
  EXPECT_LT(compare_stream_ids("1-5", "2-0"), 0);
  EXPECT_LT(compare_stream_ids("9-0", "10-0"), 0) << "numeric, not lexical";
  EXPECT_GT(compare_stream_ids("10-2", "10-1"), 0);
  EXPECT_EQ(compare_stream_ids("10-1", "10-1"), 0);
  EXPECT_LT(compare_stream_ids("0-0", "1-0"), 0);
}

}  // namespace
