// Client message parsing (every error path) and relay message building.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marina/nostr/client_message.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/relay_message.hpp"
#include "test_support.hpp"

using namespace marina::nostr;
using nlohmann::json;

namespace {

Event note(std::string content = "hi") {
  EventTemplate t;
  t.created_at = 1700000000;
  t.kind = 1;
  t.content = std::move(content);
  return sign(t, test::alice());
}

ClientMessageError parse_err(const std::string& text, const MessageLimits& limits = {}) {
  auto r = parse_client_message(text, limits);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? ClientMessageError{} : r.error();
}

}  // namespace

TEST(ClientMessage, EventKeepsTheRawObjectBytes) {
  const Event e = note();
  const std::string msg = "[ \"EVENT\" ,\n " + e.raw + " \n]";
  auto r = parse_client_message(msg);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto* ev = std::get_if<EventMessage>(&*r);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(ev->event.raw, e.raw);
  EXPECT_EQ(ev->event.id, e.id);
  // Built by the client builder, too.
  auto again = parse_client_message(client_event(e));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::get<EventMessage>(*again).event.raw, e.raw);
}

TEST(ClientMessage, EventWhoseContentContainsBraces) {
  const Event e = note("}{ ]\"[ {\"EVENT\"}");
  auto r = parse_client_message(client_event(e));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(std::get<EventMessage>(*r).event.raw, e.raw);
}

TEST(ClientMessage, AuthCarriesAnEvent) {
  const Event e = note();
  auto r = parse_client_message(client_auth(e));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<AuthMessage>(*r).event.id, e.id);
}

TEST(ClientMessage, ReqAndCountRoundTrip) {
  const Filter a = parse_filter(R"({"kinds":[1],"limit":10})").value();
  const Filter b = parse_filter(R"({"#t":["x"]})").value();
  auto r = parse_client_message(client_req("sub-1", {a, b}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& req = std::get<ReqMessage>(*r);
  EXPECT_EQ(req.subscription_id, "sub-1");
  ASSERT_EQ(req.filters.size(), 2u);
  EXPECT_EQ(req.filters[0], a);
  EXPECT_EQ(req.filters[1], b);

  auto c = parse_client_message(client_count("q", {a}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(std::get<CountMessage>(*c).subscription_id, "q");

  auto close = parse_client_message(client_close("sub-1"));
  ASSERT_TRUE(close.ok());
  EXPECT_EQ(std::get<CloseMessage>(*close).subscription_id, "sub-1");
}

TEST(ClientMessage, SubscriptionIdBounds) {
  const std::string max64(64, 's');
  EXPECT_TRUE(parse_client_message(R"(["CLOSE",")" + max64 + R"("])").ok());
  // 64 characters, 192 bytes: counted as characters.
  std::string wide;
  for (int i = 0; i < 64; ++i) wide += "\xe2\x82\xac";  // €
  EXPECT_TRUE(parse_client_message(R"(["REQ",")" + wide + R"(",{}])").ok());

  auto e = parse_err(R"(["REQ",")" + max64 + R"(x",{}])");
  EXPECT_EQ(e.code, ClientMessageErrorCode::bad_subscription_id);
  EXPECT_EQ(e.message, "subscription id: longer than 64 characters");
  EXPECT_EQ(parse_err(R"(["REQ","",{}])").message, "subscription id: must not be empty");
  EXPECT_EQ(parse_err(R"(["REQ",5,{}])").message, "subscription id: expected a string");
  EXPECT_EQ(parse_err(R"(["CLOSE",""])").code, ClientMessageErrorCode::bad_subscription_id);
  // No valid id to answer CLOSED with: NOTICE.
  EXPECT_EQ(parse_err(R"(["REQ","",{}])").reply(), R"(["NOTICE","invalid: subscription id: must not be empty"])");
}

TEST(ClientMessage, MalformedAndUnknown) {
  struct Case {
    std::string text;
    ClientMessageErrorCode code;
  };
  const Case cases[] = {
      {"", ClientMessageErrorCode::malformed},
      {"not json", ClientMessageErrorCode::malformed},
      {"{}", ClientMessageErrorCode::malformed},
      {"[]", ClientMessageErrorCode::malformed},
      {"[1]", ClientMessageErrorCode::malformed},
      {R"(["EVENT",{}] x)", ClientMessageErrorCode::malformed},
      {R"(["PING"])", ClientMessageErrorCode::unknown_verb},
      {R"(["event",{}])", ClientMessageErrorCode::unknown_verb},  // verbs are case-sensitive
      {R"(["EVENT"])", ClientMessageErrorCode::wrong_arity},
      {R"(["EVENT",{},{}])", ClientMessageErrorCode::wrong_arity},
      {R"(["AUTH"])", ClientMessageErrorCode::wrong_arity},
      {R"(["REQ"])", ClientMessageErrorCode::wrong_arity},
      {R"(["CLOSE"])", ClientMessageErrorCode::wrong_arity},
      {R"(["CLOSE","a","b"])", ClientMessageErrorCode::wrong_arity},
  };
  for (const auto& c : cases) {
    const auto e = parse_err(c.text);
    EXPECT_EQ(e.code, c.code) << c.text;
    // No event id, no subscription: the answer is a NOTICE.
    EXPECT_EQ(e.reply().rfind("[\"NOTICE\",\"invalid: ", 0), 0u) << e.reply();
    EXPECT_TRUE(json::accept(e.reply()));
  }
  EXPECT_EQ(parse_err(R"(["PING"])").message, "unknown message type \"PING\"");
}

TEST(ClientMessage, BadEventWithIdIsAnsweredWithOk) {
  json j = json::parse(note().raw);
  const std::string id = j["id"];
  j["content"] = "tampered";
  const auto e = parse_err(json::array({"EVENT", j}).dump());
  EXPECT_EQ(e.code, ClientMessageErrorCode::bad_event);
  EXPECT_EQ(e.parse_code, ParseErrorCode::id_mismatch);
  ASSERT_TRUE(e.event_id);
  EXPECT_EQ(e.event_id->hex(), id);
  EXPECT_EQ(e.reply(), R"(["OK",")" + id + R"(",false,"invalid: id: does not match the hash of the event"])");

  // The id is salvaged even when another field fails first.
  json k = json::parse(note().raw);
  k["kind"] = "one";
  const auto e2 = parse_err(json::array({"EVENT", k}).dump());
  EXPECT_EQ(e2.parse_code, ParseErrorCode::wrong_type);
  ASSERT_TRUE(e2.event_id);
  EXPECT_EQ(e2.reply(), R"(["OK",")" + id + R"(",false,"invalid: kind: expected an integer"])");
}

TEST(ClientMessage, BadEventWithoutIdIsANotice) {
  json j = json::parse(note().raw);
  j["id"] = "XYZ";
  const auto e = parse_err(json::array({"EVENT", j}).dump());
  EXPECT_EQ(e.code, ClientMessageErrorCode::bad_event);
  EXPECT_FALSE(e.event_id);
  EXPECT_EQ(e.reply(), R"(["NOTICE","invalid: id: expected 64 lowercase hex characters"])");
  const auto not_object = parse_err(R"(["EVENT","hello"])");
  EXPECT_EQ(not_object.code, ClientMessageErrorCode::bad_event);
  EXPECT_EQ(not_object.message, "event: expected a JSON object");
}

TEST(ClientMessage, BadFiltersAreAnsweredWithClosed) {
  auto e = parse_err(R"(["REQ","s1",{"kinds":["x"]}])");
  EXPECT_EQ(e.code, ClientMessageErrorCode::bad_filter);
  EXPECT_EQ(e.subscription_id, "s1");
  EXPECT_EQ(e.reply(), R"(["CLOSED","s1","invalid: kinds: expected integers"])");

  auto unknown = parse_err(R"(["REQ","s1",{"kinds":[1]},{"foo":1}])");
  EXPECT_EQ(unknown.reply(), R"(["CLOSED","s1","unsupported: unknown filter field \"foo\""])");

  auto not_object = parse_err(R"(["COUNT","c",[]])");
  EXPECT_EQ(not_object.code, ClientMessageErrorCode::bad_filter);
  EXPECT_EQ(not_object.reply(), R"(["CLOSED","c","invalid: filter: expected a JSON object"])");

  auto none = parse_err(R"(["REQ","s2"])");
  EXPECT_EQ(none.code, ClientMessageErrorCode::wrong_arity);
  EXPECT_EQ(none.reply(), R"(["CLOSED","s2","invalid: REQ: needs at least one filter"])");

  MessageLimits limits;
  limits.max_filters = 2;
  auto many = parse_err(R"(["REQ","s3",{},{},{}])", limits);
  EXPECT_EQ(many.code, ClientMessageErrorCode::too_many_filters);
  EXPECT_EQ(many.reply(), R"(["CLOSED","s3","invalid: more than 2 filters"])");
  EXPECT_TRUE(parse_client_message(R"(["REQ","s3",{},{}])", limits).ok());

  limits.filter.max_kinds = 1;
  auto bounded = parse_err(R"(["REQ","s4",{"kinds":[1,2]}])", limits);
  EXPECT_EQ(bounded.parse_code, ParseErrorCode::too_many);
}

TEST(RelayMessage, Builders) {
  const Event e = note();
  EXPECT_EQ(relay_event("s", e.raw), "[\"EVENT\",\"s\"," + e.raw + "]");
  EXPECT_EQ(relay_ok(e.id, true, ""), R"(["OK",")" + e.id_hex() + R"(",true,""])");
  EXPECT_EQ(relay_ok(e.id, false, Prefix::rate_limited, "slow down"),
            R"(["OK",")" + e.id_hex() + R"(",false,"rate-limited: slow down"])");
  EXPECT_EQ(relay_eose("s"), R"(["EOSE","s"])");
  EXPECT_EQ(relay_closed("s", Prefix::auth_required, "log in"), R"(["CLOSED","s","auth-required: log in"])");
  EXPECT_EQ(relay_notice("hello"), R"(["NOTICE","hello"])");
  EXPECT_EQ(relay_auth("chal\"lenge"), R"(["AUTH","chal\"lenge"])");
  EXPECT_EQ(relay_count("c", 42), R"(["COUNT","c",{"count":42}])");
  EXPECT_EQ(relay_count("c", 7, true), R"(["COUNT","c",{"count":7,"approximate":true}])");
  // Quoted client input stays valid JSON.
  const std::string odd = relay_closed("s\n\"", "error: \x01\xff");
  EXPECT_EQ(json::parse(odd)[1], "s\n\"");
  EXPECT_EQ(json::parse(odd)[2], "error: \x01\xef\xbf\xbd");
}

TEST(RelayMessage, StandardPrefixes) {
  const std::pair<Prefix, const char*> all[] = {
      {Prefix::duplicate, "duplicate"}, {Prefix::pow, "pow"},
      {Prefix::blocked, "blocked"},     {Prefix::rate_limited, "rate-limited"},
      {Prefix::invalid, "invalid"},     {Prefix::restricted, "restricted"},
      {Prefix::auth_required, "auth-required"}, {Prefix::error, "error"},
      {Prefix::mute, "mute"},           {Prefix::unsupported, "unsupported"},
  };
  for (auto [p, s] : all) {
    EXPECT_EQ(to_string(p), s);
    EXPECT_EQ(prefixed(p, "x"), std::string(s) + ": x");
  }
}

TEST(RelayMessage, EventMessageRoundTripsThroughAJsonParser) {
  const Event e = note("with \"quotes\" and \xf0\x9f\xa6\x84");
  const json msg = json::parse(relay_event("sub", e.raw));
  EXPECT_EQ(msg[0], "EVENT");
  EXPECT_EQ(msg[1], "sub");
  EXPECT_EQ(msg[2]["id"], e.id_hex());
  EXPECT_EQ(msg[2]["content"], e.content);
}
