// The canonical serialization behind event ids (NIP-01), byte for byte.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/nostr/serialize.hpp"
#include "marina/nostr/sha256.hpp"
#include "test_support.hpp"

using namespace marina::nostr;

namespace {

const PublicKey kPk = *PublicKey::from_hex("a48380f4cfcc1ad5378294fcac36439770f9c878dd880ffa94bb74ea54a6f243");
const std::string kPkHex = "a48380f4cfcc1ad5378294fcac36439770f9c878dd880ffa94bb74ea54a6f243";

std::string json_quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

// An independent serializer: nlohmann builds the same array and dumps it
// compactly without escaping non-ASCII.
std::string nlohmann_canonical(const PublicKey& pk, std::int64_t created_at, Kind kind, const Tags& tags,
                               const std::string& content) {
  nlohmann::json arr = nlohmann::json::array({0, pk.hex(), created_at, kind, tags, content});
  return arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

}  // namespace

TEST(Canonical, EmptyContentAndTags) {
  EXPECT_EQ(canonical_serialization(kPk, 0, 1, {}, ""), "[0,\"" + kPkHex + "\",0,1,[],\"\"]");
  EXPECT_EQ(canonical_serialization(kPk, 1651794653, 65535, {{"x"}}, ""),
            "[0,\"" + kPkHex + "\",1651794653,65535,[[\"x\"]],\"\"]");
}

TEST(Canonical, TheSevenNamedEscapes) {
  EXPECT_EQ(json_quoted("\n"), R"("\n")");
  EXPECT_EQ(json_quoted("\""), R"("\"")");
  EXPECT_EQ(json_quoted("\\"), R"("\\")");
  EXPECT_EQ(json_quoted("\r"), R"("\r")");
  EXPECT_EQ(json_quoted("\t"), R"("\t")");
  EXPECT_EQ(json_quoted("\b"), R"("\b")");
  EXPECT_EQ(json_quoted("\f"), R"("\f")");
  EXPECT_EQ(json_quoted("a\"b\\c\nd"), R"("a\"b\\c\nd")");
  EXPECT_EQ(json_quoted("/"), R"("/")");  // the solidus is not escaped
}

TEST(Canonical, EveryControlCharacter) {
  // Written by hand: the seven short forms, \u00xx (lowercase) for the rest.
  const char* expected[32] = {
      R"(\u0000)", R"(\u0001)", R"(\u0002)", R"(\u0003)", R"(\u0004)", R"(\u0005)", R"(\u0006)", R"(\u0007)",
      R"(\b)",     R"(\t)",     R"(\n)",     R"(\u000b)", R"(\f)",     R"(\r)",     R"(\u000e)", R"(\u000f)",
      R"(\u0010)", R"(\u0011)", R"(\u0012)", R"(\u0013)", R"(\u0014)", R"(\u0015)", R"(\u0016)", R"(\u0017)",
      R"(\u0018)", R"(\u0019)", R"(\u001a)", R"(\u001b)", R"(\u001c)", R"(\u001d)", R"(\u001e)", R"(\u001f)",
  };
  for (int c = 0; c < 32; ++c) {
    const std::string s(1, static_cast<char>(c));
    EXPECT_EQ(json_quoted(s), "\"" + std::string(expected[c]) + "\"") << c;
    EXPECT_EQ(canonical_serialization(kPk, 1, 1, {{"t", s}}, s), nlohmann_canonical(kPk, 1, 1, {{"t", s}}, s)) << c;
  }
}

TEST(Canonical, NonAsciiIsVerbatim) {
  const std::string samples[] = {"caf\xc3\xa9",           // é
                                 "\xe2\x80\xa8",          // U+2028 LINE SEPARATOR
                                 "\xe2\x80\xa9",          // U+2029
                                 "\xf0\x9f\xa6\x84",      // 🦄
                                 "\x7f",                  // DEL
                                 "\xef\xbb\xbf",          // BOM
                                 "\xe6\x97\xa5\xe6\x9c\xac"};
  for (const auto& s : samples) {
    EXPECT_EQ(json_quoted(s), "\"" + s + "\"");
    EXPECT_EQ(canonical_serialization(kPk, 1, 1, {}, s), nlohmann_canonical(kPk, 1, 1, {}, s));
  }
}

TEST(Canonical, HandWrittenEventHashesToItsId) {
  // Expected preimage written out by hand; the id is its SHA-256.
  const Tags tags = {{"e", "abc", ""}, {"emoji", "\xf0\x9f\x98\x80", "q\"uote"}};
  const std::string content = "line1\nline2\t\"q\" \\ \xe2\x80\xa8 \x01";
  const std::string expected = "[0,\"" + kPkHex +
                               "\",1700000000,30023,[[\"e\",\"abc\",\"\"],[\"emoji\",\"\xf0\x9f\x98\x80\","
                               "\"q\\\"uote\"]],\"line1\\nline2\\t\\\"q\\\" \\\\ \xe2\x80\xa8 \\u0001\"]";
  EXPECT_EQ(canonical_serialization(kPk, 1700000000, 30023, tags, content), expected);
  EXPECT_EQ(compute_event_id(kPk, 1700000000, 30023, tags, content).bytes, sha256(expected).bytes);
}

TEST(Canonical, AgreesWithNlohmannOnRandomText) {
  // Random strings over all of Unicode's scalar values (biased to the
  // interesting low range) serialize exactly as nlohmann does.
  std::mt19937 rng(1234);
  auto append_code_point = [](std::string& s, std::uint32_t cp) {
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      s.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      s.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  };
  for (int round = 0; round < 2000; ++round) {
    std::string content;
    const int len = static_cast<int>(rng() % 40);
    for (int i = 0; i < len; ++i) {
      std::uint32_t cp;
      switch (rng() % 4) {
        case 0: cp = rng() % 0x80; break;
        case 1: cp = rng() % 0x800; break;
        case 2: cp = rng() % 0x10000; break;
        default: cp = 0x10000 + rng() % 0x100000; break;
      }
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x2028;  // surrogates are not scalar values
      append_code_point(content, cp);
    }
    const Tags tags = {{"t", content}};
    ASSERT_EQ(canonical_serialization(kPk, round, 1, tags, content), nlohmann_canonical(kPk, round, 1, tags, content));
  }
}

TEST(Canonical, ParsedEventIdAgreesForEveryControlCharacter) {
  // Sign, send through a JSON writer that escapes differently (nlohmann with
  // ensure_ascii), parse: the recomputed id must still match.
  std::string content;
  for (int c = 0; c < 0x20; ++c) content.push_back(static_cast<char>(c));
  content += "\"\\/\xe2\x80\xa8\xf0\x9f\xa6\x84";
  EventTemplate t;
  t.kind = 1;
  t.created_at = 1;
  t.content = content;
  t.tags = {{"t", content}};
  const Event e = sign(t, test::alice());
  const std::string ascii = nlohmann::json::parse(e.raw).dump(-1, ' ', true);
  ASSERT_NE(ascii, e.raw);
  auto r = parse_event(ascii);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->content, content);
  EXPECT_TRUE(verify_signature(*r));
}

TEST(EventJson, SignedRawRoundTrips) {
  EventTemplate t;
  t.created_at = 1700000001;
  t.kind = 30023;
  t.tags = {{"d", "article"}, {"title", "a \"title\""}};
  t.content = "body\n";
  const Event e = sign(t, test::alice());
  EXPECT_EQ(e.raw, event_to_json(e));
  const auto j = nlohmann::json::parse(e.raw);
  EXPECT_EQ(j.size(), 7u);
  EXPECT_EQ(j["content"], "body\n");
  auto r = parse_event(e.raw);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->raw, e.raw);
}

TEST(EventJson, SignRejectsTemplatesThatCannotBeEvents) {
  EventTemplate bad_utf8;
  bad_utf8.content = "\xff";
  EXPECT_THROW(sign(bad_utf8, test::alice()), std::invalid_argument);
  EventTemplate empty_tag;
  empty_tag.tags = {{}};
  EXPECT_THROW(sign(empty_tag, test::alice()), std::invalid_argument);
  EventTemplate negative_time;
  negative_time.created_at = -5;
  EXPECT_THROW(sign(negative_time, test::alice()), std::invalid_argument);
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xf0\x9f\xa6\x84"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // encoded surrogate
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));      // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Utf8, LossyEscapingReplacesInvalidBytes) {
  std::string out;
  append_json_string_lossy(out, "ok\xff\"\xc3");
  EXPECT_EQ(out, "\"ok\xef\xbf\xbd\\\"\xef\xbf\xbd\"");
  EXPECT_TRUE(nlohmann::json::accept(out));
}
