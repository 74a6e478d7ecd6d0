// parse_json: the one rule for every JSON body of the API (duplicate keys and
// control characters refused, the field named), so no handler has to care.
#include <gtest/gtest.h>

#include "marina/http/json.hpp"

namespace marina::http {
namespace {

// The problem parse_json throws for `body`, as {code, detail}; {"", ""} when it parses.
std::pair<std::string, std::string> refusal(const std::string& body) {
  Request req = Request::make("POST", "/x");
  req.body = body;
  try {
    parse_json(req);
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 400);
    return {e.code(), e.detail()};
  }
  return {"", ""};
}

const std::string kRule = "; text may contain no control characters but tab, line feed and carriage return.";

TEST(ParseJson, ControlCharactersAreRefusedWhereverTheyAre) {
  EXPECT_EQ(refusal(R"({"name":"a\u0000b"})"),
            std::make_pair(std::string("invalid-text"), "The text at \"/name\" contains the control character U+0000" + kRule));
  EXPECT_EQ(refusal("{\"d\":\"x\x01\"}").first, "invalid-json") << "a raw control byte is not JSON at all";
  EXPECT_EQ(refusal(R"({"a":[1,{"b":"ok"},{"b":"\u001f"}]})").second,
            "The text at \"/a/2/b\" contains the control character U+001F" + kRule);
  EXPECT_EQ(refusal(R"({"a":{"b":["x","\u007f"]}})").second,
            "The text at \"/a/b/1\" contains the control character U+007F" + kRule);
  EXPECT_EQ(refusal(R"({"n":"\u0085"})").second, "The text at \"/n\" contains the control character U+0085" + kRule);
  EXPECT_EQ(refusal(R"({"k\u0000":1})").second,
            "The text at \"/k" + std::string(1, '\0') + "\" contains the control character U+0000" + kRule)
      << "keys are text too";
  EXPECT_EQ(refusal(R"({"a/b~":"\u0002"})").second,
            "The text at \"/a~1b~0\" contains the control character U+0002" + kRule)
      << "a JSON pointer escapes / and ~";
  EXPECT_EQ(refusal(R"("\u0003")").second, "The text at the top level contains the control character U+0003" + kRule);
}

TEST(ParseJson, OrdinaryTextPasses) {
  EXPECT_EQ(refusal(R"({"d":"tab\tnl\ncr\r","nbsp":"\u00a0","e":"é😀","n":null,"x":[1,true]})").first, "");
  Request req = Request::make("POST", "/x");
  req.body = R"({"d":"a\tb\nc"})";
  EXPECT_EQ(parse_json(req)["d"], "a\tb\nc");
}

TEST(ParseJson, DuplicateKeysAreRefusedAtAnyDepth) {
  EXPECT_EQ(refusal(R"({"a":1,"a":2})"),
            std::make_pair(std::string("duplicate-key"),
                           std::string("The key \"a\" appears more than once in the object at the top level; each key may "
                                       "appear once.")));
  EXPECT_EQ(refusal(R"({"o":[{"k":1},{"k":1,"j":2,"k":3}]})").second,
            "The key \"k\" appears more than once in the object at \"/o/1\"; each key may appear once.");
  EXPECT_EQ(refusal(R"({"a":{"x":1},"b":{"x":1}})").first, "") << "the same key in two objects is fine";
}

TEST(ParseJson, NotJsonIsInvalidJson) {
  EXPECT_EQ(refusal("").first, "invalid-json");
  EXPECT_EQ(refusal("{").first, "invalid-json");
  EXPECT_EQ(refusal("{\"a\":\"\xff\"}").first, "invalid-json") << "not UTF-8";
  EXPECT_EQ(refusal(R"({"a":"\ud800"})").first, "invalid-json") << "a lone surrogate";
}

}  // namespace
}  // namespace marina::http
