// Strict event parsing: what is accepted, what is kept, and one test per
// rejection rule.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/serialize.hpp"
#include "test_support.hpp"

using namespace marina::nostr;
using nlohmann::json;

namespace {

Event sample_event() {
  EventTemplate t;
  t.created_at = 1700000000;
  t.kind = 1;
  t.tags = {{"e", std::string(64, 'a'), "wss://relay.example.com"}, {"t", "nostr"}};
  t.content = "hello \"world\"\n";
  return sign(t, test::alice());
}

// Parses a mutated copy of the sample event and returns the error.
ParseError reject(const std::function<void(json&)>& mutate) {
  json j = json::parse(sample_event().raw);
  mutate(j);
  auto r = parse_event(j.dump());
  EXPECT_FALSE(r.ok()) << j.dump();
  return r.ok() ? ParseError{} : r.error();
}

ParseError reject_text(const std::string& text) {
  auto r = parse_event(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? ParseError{} : r.error();
}

// The sample event's JSON with `field`'s value replaced by `value_json`
// (text-level, for things nlohmann cannot produce: duplicates, 1e3, ...).
std::string with_raw_value(const std::string& field, const std::string& value_json) {
  json j = json::parse(sample_event().raw);
  j[field] = "__PLACEHOLDER__";
  std::string s = j.dump();
  s.replace(s.find("\"__PLACEHOLDER__\""), 17, value_json);
  return s;
}

}  // namespace

TEST(EventParse, AcceptsASignedEventAndKeepsItsExactBytes) {
  const Event signed_event = sample_event();
  const std::string text = "  \n" + signed_event.raw + "\t ";
  auto r = parse_event(text);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->raw, signed_event.raw);  // trimmed, otherwise untouched
  EXPECT_EQ(r->id, signed_event.id);
  EXPECT_EQ(r->pubkey, public_key(test::alice()));
  EXPECT_EQ(r->created_at, 1700000000);
  EXPECT_EQ(r->kind, 1);
  EXPECT_EQ(r->tags, signed_event.tags);
  EXPECT_EQ(r->content, "hello \"world\"\n");
  EXPECT_TRUE(verify_signature(*r));
}

TEST(EventParse, RawKeepsNonCanonicalEscapesAndFieldOrder) {
  // The same event written differently: other field order, \u escapes and
  // an escaped slash. The id commits to the values, so it still verifies,
  // and raw is what the client sent, byte for byte.
  const Event e = sample_event();
  std::string text = "{\"sig\":\"" + e.sig_hex() + "\",\"content\":\"hell\\u006f \\\"world\\\"\\n\",\"kind\":1," +
                     "\"tags\":[[\"e\",\"" + std::string(64, 'a') + "\",\"wss:\\/\\/relay.example.com\"],[\"t\",\"nostr\"]]," +
                     "\"created_at\":1700000000,\"pubkey\":\"" + e.pubkey_hex() + "\",\"id\":\"" + e.id_hex() + "\"}";
  auto r = parse_event(text);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->raw, text);
  EXPECT_EQ(r->content, e.content);
  EXPECT_EQ(r->tags[0][2], "wss://relay.example.com");
  EXPECT_TRUE(verify_signature(*r));
}

TEST(EventParse, SignedExamplesFromTheNipsVerify) {
  struct Case {
    std::string nip, id;
  };
  const Case cases[] = {
      {"13", "000006d8c378af1779d2feebc7603a125d99eca0ccf1085959b307f64e5dd358"},
      {"59", "28a87d7c074d94a58e9e89bb3e9e4e813e2189f285d797b1c56069d36f59eaa7"},
      {"17", "2886780f7349afc1344047524540ee716f7bdc1b64191699855662330bf235d8"},
      {"17", "162b0611a1911cfcb30f8a5502792b346e535a45658b3a31ae5c178465509721"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("NIP-" + c.nip + " " + c.id);
    auto r = parse_event(test::json_block_containing(test::nip_text(c.nip), c.id));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->id_hex(), c.id);
    EXPECT_TRUE(verify_signature(*r));
  }
}

TEST(EventParse, Nip98ExampleIsRejectedForItsId) {
  auto r = parse_event(test::json_block_containing(test::nip_text("98"), "fe964e758903360f"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::id_mismatch);
  EXPECT_EQ(r.error().message, "id: does not match the hash of the event");
}

TEST(EventParse, AlteredContentFailsTheIdCheckUnlessDisabled) {
  json j = json::parse(sample_event().raw);
  j["content"] = "tampered";
  auto r = parse_event(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ParseErrorCode::id_mismatch);
  auto unchecked = parse_event(j.dump(), EventParseOptions{.check_id = false});
  ASSERT_TRUE(unchecked.ok());
  EXPECT_FALSE(has_valid_id(*unchecked));
}

TEST(EventParse, RejectsMalformedJson) {
  EXPECT_EQ(reject_text("").code, ParseErrorCode::malformed_json);
  EXPECT_EQ(reject_text("{").code, ParseErrorCode::malformed_json);
  EXPECT_EQ(reject_text(sample_event().raw + " x").code, ParseErrorCode::malformed_json);
  EXPECT_EQ(reject_text(sample_event().raw + sample_event().raw).code, ParseErrorCode::malformed_json);
  EXPECT_EQ(reject_text("[1,2]").code, ParseErrorCode::wrong_type);
  EXPECT_EQ(reject_text("\"event\"").code, ParseErrorCode::wrong_type);
}

TEST(EventParse, RejectsEachMissingField) {
  for (const char* field : {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"}) {
    const auto e = reject([&](json& j) { j.erase(field); });
    EXPECT_EQ(e.code, ParseErrorCode::missing_field) << field;
    EXPECT_EQ(e.message, std::string("missing field \"") + field + "\"");
  }
}

TEST(EventParse, RejectsUnknownAndDuplicateFields) {
  auto e = reject([](json& j) { j["extra"] = 1; });
  EXPECT_EQ(e.code, ParseErrorCode::unknown_field);
  EXPECT_EQ(e.message, "unknown field \"extra\"");

  std::string dup = sample_event().raw;
  dup.insert(1, "\"kind\":1,");
  e = reject_text(dup);
  EXPECT_EQ(e.code, ParseErrorCode::duplicate_field);
  EXPECT_EQ(e.message, "duplicate field \"kind\"");
}

TEST(EventParse, RejectsWrongTypes) {
  struct Case {
    std::string field, value, message;
  };
  const Case cases[] = {
      {"id", "1", "id: expected 64 lowercase hex characters"},
      {"pubkey", "null", "pubkey: expected 64 lowercase hex characters"},
      {"sig", "true", "sig: expected 128 lowercase hex characters"},
      {"created_at", "\"1700000000\"", "created_at: expected an integer"},
      {"created_at", "1.5", "created_at: expected an integer"},
      {"created_at", "1700000000.0", "created_at: expected an integer"},
      {"created_at", "17e8", "created_at: expected an integer"},
      {"kind", "\"1\"", "kind: expected an integer"},
      {"kind", "[1]", "kind: expected an integer"},
      {"tags", "{}", "tags: expected an array of arrays"},
      {"tags", "[\"e\"]", "tags[0]: expected an array of strings"},
      {"tags", "[[\"e\",1]]", "tags[0][1]: expected a string"},
      {"tags", "[[\"t\",\"x\"],[null]]", "tags[1][0]: expected a string"},
      {"content", "7", "content: expected a string"},
      {"content", "null", "content: expected a string"},
  };
  for (const auto& c : cases) {
    const auto e = reject_text(with_raw_value(c.field, c.value));
    EXPECT_EQ(e.code, ParseErrorCode::wrong_type) << c.field << "=" << c.value;
    EXPECT_EQ(e.message, c.message) << c.field << "=" << c.value;
  }
}

TEST(EventParse, RejectsEmptyTags) {
  const auto e = reject_text(with_raw_value("tags", "[[\"t\",\"x\"],[]]"));
  EXPECT_EQ(e.code, ParseErrorCode::bad_value);
  EXPECT_EQ(e.message, "tags[1]: a tag needs at least one string");
  // An empty tag list is fine.
  EventTemplate t;
  t.kind = 1;
  EXPECT_TRUE(parse_event(sign(t, test::alice()).raw).ok());
}

TEST(EventParse, RejectsBadHex) {
  const Event ev = sample_event();
  auto upper = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  struct Case {
    std::string field, value;
  };
  const Case cases[] = {
      {"id", upper(ev.id_hex())},        {"id", ev.id_hex().substr(1)},         {"id", ev.id_hex() + "0"},
      {"pubkey", upper(ev.pubkey_hex())}, {"pubkey", ev.pubkey_hex() + "00"},   {"pubkey", ""},
      {"sig", upper(ev.sig_hex())},       {"sig", ev.sig_hex().substr(0, 64)},  {"id", "0x" + ev.id_hex().substr(2)},
  };
  for (const auto& c : cases) {
    const auto e = reject([&](json& j) { j[c.field] = c.value; });
    EXPECT_EQ(e.code, ParseErrorCode::bad_value) << c.field << "=" << c.value;
    EXPECT_EQ(e.message.rfind(c.field + ": expected ", 0), 0u) << e.message;
  }
}

TEST(EventParse, RejectsNumbersOutOfRange) {
  struct Case {
    std::string field, value;
  };
  const Case cases[] = {
      {"created_at", "-1"},    {"created_at", "9007199254740992"}, {"created_at", "9223372036854775807"},
      {"created_at", "18446744073709551615"}, {"kind", "-1"},       {"kind", "65536"},
      {"kind", "4294967296"},
  };
  for (const auto& c : cases) {
    const auto e = reject_text(with_raw_value(c.field, c.value));
    EXPECT_EQ(e.code, ParseErrorCode::out_of_range) << c.field << "=" << c.value;
  }
  // The bounds themselves are accepted (id check disabled: only the range matters here).
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{{"created_at", "0"}, {"created_at", "9007199254740991"},
                                                        {"kind", "0"},       {"kind", "65535"}}) {
    auto r = parse_event(with_raw_value(field, value), {.check_id = false});
    EXPECT_TRUE(r.ok()) << field << "=" << value;
  }
}

TEST(EventParse, RejectsInvalidStrings) {
  const std::string base = with_raw_value("content", "\"@@\"");
  auto with_content = [&](const std::string& raw_json_text) {
    std::string s = base;
    s.replace(s.find("@@"), 2, raw_json_text);
    return s;
  };
  EXPECT_EQ(reject_text(with_content("a\x01z")).code, ParseErrorCode::malformed_json);    // raw control char
  EXPECT_EQ(reject_text(with_content("a\nz")).code, ParseErrorCode::malformed_json);      // raw newline
  EXPECT_EQ(reject_text(with_content("\xff\xfe")).code, ParseErrorCode::malformed_json);  // not UTF-8
  EXPECT_EQ(reject_text(with_content("\xc0\xaf")).code, ParseErrorCode::malformed_json);  // overlong
  EXPECT_EQ(reject_text(with_content("\\ud800")).code, ParseErrorCode::malformed_json);   // lone surrogate
  EXPECT_EQ(reject_text(with_content("\\udc00")).code, ParseErrorCode::malformed_json);
  EXPECT_EQ(reject_text(with_content("\\x41")).code, ParseErrorCode::malformed_json);     // unknown escape
  EXPECT_EQ(reject_text(with_content("\\ud800")).message, "malformed JSON: invalid string escape");
  EXPECT_EQ(reject_text(with_content("\xff")).message, "malformed JSON: invalid UTF-8");
}

TEST(EventParse, RumorHasNoSignature) {
  json j = json::parse(sample_event().raw);
  j.erase("sig");
  auto rumor = parse_rumor(j.dump());
  ASSERT_TRUE(rumor.ok()) << rumor.error().message;
  EXPECT_TRUE(rumor->sig.is_zero());
  EXPECT_FALSE(parse_event(j.dump()).ok());
  auto signed_rumor = parse_rumor(sample_event().raw);
  ASSERT_FALSE(signed_rumor.ok());
  EXPECT_EQ(signed_rumor.error().code, ParseErrorCode::unknown_field);
}

TEST(EventParse, ManyThreadsParseAtOnce) {
  const Event e = sample_event();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto r = parse_event(e.raw);
        if (!r.ok() || r->id != e.id) ++wrong;
        if (parse_event(e.raw + "]").ok()) ++wrong;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}
