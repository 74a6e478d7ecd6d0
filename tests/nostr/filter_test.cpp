// Filters: parsing, bounds, and matching checked against a plain reference.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "marina/nostr/filter.hpp"
#include "marina/nostr/serialize.hpp"

using namespace marina::nostr;
using nlohmann::json;

namespace {

std::string hex_of(int n) {
  char buf[65];
  std::snprintf(buf, sizeof buf, "%064x", n);
  return buf;
}

Filter parse_ok(const std::string& text, const FilterLimits& limits = {}) {
  auto r = parse_filter(text, limits);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Filter{};
}

ParseError parse_err(const std::string& text, const FilterLimits& limits = {}) {
  auto r = parse_filter(text, limits);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? ParseError{} : r.error();
}

Event event_with(int id, int author, Kind kind, std::int64_t created_at, Tags tags = {}, std::string content = "") {
  Event e;
  e.id = *EventId::from_hex(hex_of(id));
  e.pubkey = *PublicKey::from_hex(hex_of(author));
  e.kind = kind;
  e.created_at = created_at;
  e.tags = std::move(tags);
  e.content = std::move(content);
  return e;
}

}  // namespace

TEST(FilterParse, AllFieldsSortedAndDeduplicated) {
  const std::string text = R"({"ids":[")" + hex_of(2) + R"(",")" + hex_of(1) + R"(",")" + hex_of(2) +
                           R"("],"authors":[")" + hex_of(9) + R"("],"kinds":[7,1,7],"#t":["b","a","b"],"#e":[")" +
                           hex_of(3) + R"("],"#T":["X"],"since":10,"until":20,"limit":5,"search":"best apps"})";
  const Filter f = parse_ok(text);
  ASSERT_TRUE(f.ids && f.authors && f.kinds);
  EXPECT_EQ(*f.ids, (std::vector<EventId>{*EventId::from_hex(hex_of(1)), *EventId::from_hex(hex_of(2))}));
  EXPECT_EQ(f.authors->size(), 1u);
  EXPECT_EQ(*f.kinds, (std::vector<Kind>{1, 7}));
  ASSERT_EQ(f.tags.size(), 3u);
  EXPECT_EQ(f.tags[0].letter, 'T');  // sorted by letter (ASCII order)
  EXPECT_EQ(f.tags[1].letter, 'e');
  EXPECT_EQ(f.tags[2].letter, 't');
  ASSERT_NE(f.tag('t'), nullptr);
  EXPECT_EQ(f.tag('t')->values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.tag('x'), nullptr);
  EXPECT_EQ(f.since, 10);
  EXPECT_EQ(f.until, 20);
  EXPECT_EQ(f.limit, 5u);
  EXPECT_EQ(f.search, "best apps");
}

TEST(FilterParse, JsonRoundTrip) {
  const Filter f = parse_ok(R"({"kinds":[1,0],"#p":[")" + hex_of(4) + R"("],"#t":["q\"uote"],"limit":0,"since":0})");
  const std::string text = filter_to_json(f);
  EXPECT_EQ(text, R"({"kinds":[0,1],"#p":[")" + hex_of(4) + R"("],"#t":["q\"uote"],"since":0,"limit":0})");
  EXPECT_EQ(parse_ok(text), f);
  EXPECT_EQ(filter_to_json(parse_ok("{}")), "{}");
}

TEST(FilterParse, Rejections) {
  struct Case {
    std::string text;
    ParseErrorCode code;
    std::string message;
  };
  const std::string upper = "\"" + std::string(64, 'A') + "\"";
  const Case cases[] = {
      {"[]", ParseErrorCode::wrong_type, "filter: expected a JSON object"},
      {"{", ParseErrorCode::malformed_json, "malformed JSON"},
      {R"({"foo":1})", ParseErrorCode::unknown_field, "unknown filter field \"foo\""},
      {R"({"#ab":["x"]})", ParseErrorCode::unknown_field, "unknown filter field \"#ab\""},
      {R"({"#1":["x"]})", ParseErrorCode::unknown_field, "unknown filter field \"#1\""},
      {R"({"#":["x"]})", ParseErrorCode::unknown_field, "unknown filter field \"#\""},
      {R"({"kinds":[1],"kinds":[2]})", ParseErrorCode::duplicate_field, "duplicate field \"kinds\""},
      {R"({"#t":["a"],"#t":["b"]})", ParseErrorCode::duplicate_field, "duplicate field \"#t\""},
      {R"({"ids":"x"})", ParseErrorCode::wrong_type, "ids: expected an array"},
      {R"({"ids":[1]})", ParseErrorCode::wrong_type, "ids: expected strings"},
      {R"({"ids":["abc"]})", ParseErrorCode::bad_value, "ids: expected 64 lowercase hex characters"},
      {R"({"authors":[)" + upper + "]}", ParseErrorCode::bad_value, "authors: expected 64 lowercase hex characters"},
      {R"({"#e":["abc"]})", ParseErrorCode::bad_value, "#e: expected 64 lowercase hex characters"},
      {R"({"#p":[)" + upper + "]}", ParseErrorCode::bad_value, "#p: expected 64 lowercase hex characters"},
      {R"({"#t":[1]})", ParseErrorCode::wrong_type, "#t: expected strings"},
      {R"({"kinds":["1"]})", ParseErrorCode::wrong_type, "kinds: expected integers"},
      {R"({"kinds":[1.5]})", ParseErrorCode::wrong_type, "kinds: expected integers"},
      {R"({"kinds":[65536]})", ParseErrorCode::out_of_range, "kinds: must be between 0 and 65535"},
      {R"({"kinds":[-1]})", ParseErrorCode::out_of_range, "kinds: must be between 0 and 65535"},
      {R"({"since":-1})", ParseErrorCode::out_of_range, "since: must be between 0 and 9007199254740991"},
      {R"({"until":"now"})", ParseErrorCode::wrong_type, "until: expected an integer"},
      {R"({"limit":-1})", ParseErrorCode::out_of_range, "limit: must not be negative"},
      {R"({"limit":2.5})", ParseErrorCode::wrong_type, "limit: expected an integer"},
      {R"({"search":5})", ParseErrorCode::wrong_type, "search: expected a string"},
  };
  for (const auto& c : cases) {
    const auto e = parse_err(c.text);
    EXPECT_EQ(e.code, c.code) << c.text;
    EXPECT_EQ(e.message, c.message) << c.text;
  }
}

TEST(FilterParse, NamedHexTagsAreStrictOtherTagsAreNot) {
  EXPECT_TRUE(parse_filter(R"({"#t":["ABC", ""]})").ok());
  EXPECT_TRUE(parse_filter(R"({"#E":["not hex"]})").ok());  // only #e and #p are hex by NIP-01
}

TEST(FilterParse, Limits) {
  FilterLimits lim;
  lim.max_ids = 2;
  lim.max_authors = 1;
  lim.max_kinds = 2;
  lim.max_tag_values = 2;
  lim.max_tag_filters = 1;
  lim.max_tag_value_bytes = 3;
  lim.max_search_bytes = 4;
  lim.max_limit = 100;

  const std::string three_ids = R"({"ids":[")" + hex_of(1) + R"(",")" + hex_of(2) + R"(",")" + hex_of(3) + R"("]})";
  EXPECT_EQ(parse_err(three_ids, lim).message, "ids: more than 2 values");
  EXPECT_EQ(parse_err(three_ids, lim).code, ParseErrorCode::too_many);
  EXPECT_EQ(parse_err(R"({"authors":[")" + hex_of(1) + R"(",")" + hex_of(2) + R"("]})", lim).message,
            "authors: more than 1 values");
  EXPECT_EQ(parse_err(R"({"kinds":[1,2,3]})", lim).message, "kinds: more than 2 values");
  EXPECT_EQ(parse_err(R"({"#t":["a","b","c"]})", lim).message, "#t: more than 2 values");
  EXPECT_EQ(parse_err(R"({"#t":["a"],"#r":["b"]})", lim).message, "more than 1 tag conditions");
  EXPECT_EQ(parse_err(R"({"#t":["abcd"]})", lim).code, ParseErrorCode::too_long);
  EXPECT_EQ(parse_err(R"({"search":"abcde"})", lim).code, ParseErrorCode::too_long);
  // Within bounds.
  EXPECT_TRUE(parse_filter(R"({"kinds":[1,2],"#t":["abc","b"],"search":"abcd"})", lim).ok());

  // limit above the bound: clamped by default, rejected on request.
  EXPECT_EQ(parse_ok(R"({"limit":5000})", lim).limit, 100u);
  EXPECT_EQ(parse_ok(R"({"limit":18446744073709551615})", lim).limit, 100u);
  lim.clamp_limit = false;
  EXPECT_EQ(parse_err(R"({"limit":5000})", lim).message, "limit: must be at most 100");
  EXPECT_EQ(parse_ok(R"({"limit":100})", lim).limit, 100u);
}

TEST(FilterMatch, EmptyFilterMatchesEverything) {
  const Filter f = parse_ok("{}");
  EXPECT_TRUE(f.matches(event_with(1, 1, 1, 0)));
  EXPECT_FALSE(f.matches_nothing());
}

TEST(FilterMatch, EachCondition) {
  const Event e = event_with(5, 6, 1, 100, {{"e", hex_of(7)}, {"t", "Nostr"}, {"emoji", "x"}, {"p"}});
  EXPECT_TRUE(parse_ok(R"({"ids":[")" + hex_of(5) + R"("]})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"ids":[")" + hex_of(4) + R"("]})").matches(e));
  EXPECT_TRUE(parse_ok(R"({"authors":[")" + hex_of(1) + R"(",")" + hex_of(6) + R"("]})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"authors":[")" + hex_of(5) + R"("]})").matches(e));
  EXPECT_TRUE(parse_ok(R"({"kinds":[0,1]})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"kinds":[0]})").matches(e));
  EXPECT_TRUE(parse_ok(R"({"since":100,"until":100})").matches(e));  // inclusive bounds
  EXPECT_FALSE(parse_ok(R"({"since":101})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"until":99})").matches(e));
  EXPECT_TRUE(parse_ok(R"({"#e":[")" + hex_of(7) + R"("]})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"#e":[")" + hex_of(8) + R"("]})").matches(e));
  EXPECT_TRUE(parse_ok(R"({"#t":["Nostr"]})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"#t":["nostr"]})").matches(e));  // tag values are exact
  EXPECT_FALSE(parse_ok(R"({"#T":["Nostr"]})").matches(e));  // letters are case-sensitive
  EXPECT_FALSE(parse_ok(R"({"#x":["x"]})").matches(e));      // "emoji" is not "e"/"x"
  EXPECT_FALSE(parse_ok(R"({"#p":[")" + hex_of(1) + R"("]})").matches(e));  // ["p"] has no value
  // AND across fields.
  EXPECT_FALSE(parse_ok(R"({"kinds":[1],"authors":[")" + hex_of(5) + R"("]})").matches(e));
  // limit does not affect matching.
  EXPECT_TRUE(parse_ok(R"({"limit":0})").matches(e));
}

TEST(FilterMatch, EmptyListsMatchNothing) {
  const Event e = event_with(1, 1, 1, 1, {{"t", "x"}});
  for (const char* text : {R"({"ids":[]})", R"({"authors":[]})", R"({"kinds":[]})", R"({"#t":[]})"}) {
    const Filter f = parse_ok(text);
    EXPECT_FALSE(f.matches(e)) << text;
    EXPECT_TRUE(f.matches_nothing()) << text;
  }
  EXPECT_TRUE(parse_ok(R"({"since":5,"until":4})").matches_nothing());
  EXPECT_FALSE(parse_ok(R"({"since":5,"until":5})").matches_nothing());
}

TEST(FilterMatch, SearchWordsInContent) {
  const Event e = event_with(1, 1, 1, 1, {}, "The Best Nostr apps, reviewed");
  EXPECT_TRUE(parse_ok(R"({"search":"best APPS"})").matches(e));
  EXPECT_TRUE(parse_ok(R"({"search":"nostr language:en"})").matches(e));  // extensions are ignored
  EXPECT_TRUE(parse_ok(R"({"search":"  "})").matches(e));
  EXPECT_FALSE(parse_ok(R"({"search":"best worst"})").matches(e));
  EXPECT_TRUE(matches_any({parse_ok(R"({"kinds":[2]})"), parse_ok(R"({"search":"review"})")}, e));
  EXPECT_FALSE(matches_any({parse_ok(R"({"kinds":[2]})"), parse_ok(R"({"search":"zzz"})")}, e));
  EXPECT_FALSE(matches_any({}, e));
}

namespace {

// The reference: NIP-01's words applied to the JSON forms, with no sorting,
// no binary search and no parsing shortcuts.
bool reference_match(const json& filter, const json& event) {
  auto in = [](const json& list, const json& value) {
    for (const auto& v : list)
      if (v == value) return true;
    return false;
  };
  for (const auto& [key, value] : filter.items()) {
    if (key == "ids" && !in(value, event["id"])) return false;
    if (key == "authors" && !in(value, event["pubkey"])) return false;
    if (key == "kinds" && !in(value, event["kind"])) return false;
    if (key == "since" && event["created_at"].get<std::int64_t>() < value.get<std::int64_t>()) return false;
    if (key == "until" && event["created_at"].get<std::int64_t>() > value.get<std::int64_t>()) return false;
    if (key.size() == 2 && key[0] == '#') {
      bool any = false;
      for (const auto& tag : event["tags"])
        if (tag.size() >= 2 && tag[0] == key.substr(1) && in(value, tag[1])) any = true;
      if (!any) return false;
    }
    if (key == "search") {
      auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      };
      std::istringstream words(value.get<std::string>());
      std::string word;
      const std::string content = lower(event["content"].get<std::string>());
      while (words >> word)
        if (word.find(':') == std::string::npos && content.find(lower(word)) == std::string::npos) return false;
    }
  }
  return true;
}

}  // namespace

TEST(FilterMatch, AgreesWithReferenceOnRandomEventsAndFilters) {
  std::mt19937 rng(20240601);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<Kind> kind_pool = {0, 1, 3, 7, 1059, 10002, 30023};
  const std::vector<std::string> words = {"nostr", "relay", "Zap", "gm", "bitcoin"};
  const std::vector<std::string> tag_names = {"e", "p", "t", "T", "emoji", "d"};

  std::vector<Event> events;
  std::vector<json> event_json;
  for (int i = 0; i < 2000; ++i) {
    Tags tags;
    const int ntags = pick(5);
    for (int t = 0; t < ntags; ++t) {
      const std::string& name = tag_names[pick(static_cast<int>(tag_names.size()))];
      if (pick(10) == 0) {
        tags.push_back({name});  // a tag with no value
      } else if (name == "e" || name == "p") {
        tags.push_back({name, hex_of(pick(30)), "wss://r"});
      } else {
        tags.push_back({name, words[pick(5)]});
      }
    }
    std::string content = words[pick(5)] + " " + words[pick(5)];
    events.push_back(event_with(pick(40), pick(10), kind_pool[pick(7)], 1000 + pick(100), tags, content));
    event_json.push_back(json::parse(event_to_json(events.back())));
  }

  int matched = 0, total = 0;
  for (int i = 0; i < 400; ++i) {
    json f = json::object();
    auto hex_list = [&](int pool) {
      json list = json::array();
      const int n = pick(4);
      for (int k = 0; k < n; ++k) list.push_back(hex_of(pick(pool)));
      return list;
    };
    if (pick(4) == 0) f["ids"] = hex_list(45);
    if (pick(3) == 0) f["authors"] = hex_list(12);
    if (pick(3) == 0) {
      f["kinds"] = json::array();
      for (int k = pick(3); k >= 0; --k) f["kinds"].push_back(kind_pool[pick(7)]);
    }
    if (pick(3) == 0) f["since"] = 1000 + pick(100);
    if (pick(3) == 0) f["until"] = 1000 + pick(100);
    if (pick(4) == 0) f["#e"] = hex_list(35);
    if (pick(4) == 0) f["#p"] = hex_list(35);
    if (pick(3) == 0) f["#t"] = json::array({words[pick(5)], words[pick(5)]});
    if (pick(6) == 0) f["#T"] = json::array({words[pick(5)]});
    if (pick(5) == 0) f["limit"] = pick(50);
    if (pick(8) == 0) f["search"] = words[pick(5)];

    auto parsed = parse_filter(f.dump());
    ASSERT_TRUE(parsed.ok()) << f.dump() << ": " << parsed.error().message;
    for (std::size_t k = 0; k < events.size(); ++k) {
      const bool expected = reference_match(f, event_json[k]);
      ASSERT_EQ(parsed->matches(events[k]), expected) << f.dump() << "\n" << event_json[k].dump();
      matched += expected;
      ++total;
    }
  }
  // The generator must exercise both outcomes substantially.
  EXPECT_GT(matched, total / 50);
  EXPECT_LT(matched, total - total / 50);
}
