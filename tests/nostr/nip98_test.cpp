// NIP-98 HTTP auth: a valid token, and each failure with its reason code.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip98.hpp"
#include "marina/nostr/serialize.hpp"
#include "marina/nostr/sha256.hpp"
#include "test_support.hpp"

using namespace marina::nostr;
using nip98::Failure;

namespace {

constexpr std::int64_t kNow = 1700000000;
const std::string kUrl = "https://api.marina.example/tenant/relays?limit=5";

nip98::Request get_request(std::int64_t now = kNow) { return {"GET", kUrl, std::nullopt, now}; }

// A header carrying an event built from `t` (signed by alice).
std::string header_for(const EventTemplate& t) { return "Nostr " + base64_encode(sign(t, test::alice()).raw); }

EventTemplate auth_template(std::string method = "GET", std::string url = kUrl) {
  EventTemplate t;
  t.created_at = kNow;
  t.kind = 27235;
  t.tags = {{"u", std::move(url)}, {"method", std::move(method)}};
  return t;
}

Failure failure_of(std::string_view header, const nip98::Request& req, const nip98::Options& opt = {}) {
  auto r = nip98::verify(header, req, opt);
  EXPECT_FALSE(r.ok()) << header;
  return r.ok() ? Failure::bad_json : r.error();
}

}  // namespace

TEST(Nip98, ValidHeaderYieldsTheIdentity) {
  const std::string header = nip98::create_header(test::alice(), "GET", kUrl, kNow);
  auto r = nip98::verify(header, get_request());
  ASSERT_TRUE(r.ok()) << nip98::to_string(r.error());
  EXPECT_EQ(r->pubkey, public_key(test::alice()));
  EXPECT_EQ(r->created_at, kNow);
  EXPECT_FALSE(r->payload);
  // The event id is the one inside the token.
  const auto json = base64_decode(header.substr(6));
  EXPECT_EQ(nlohmann::json::parse(json->begin(), json->end())["id"], r->event_id.hex());
}

TEST(Nip98, SchemeIsCaseInsensitiveAndPaddingOptional) {
  std::string header = nip98::create_header(test::alice(), "GET", kUrl, kNow);
  std::string token = header.substr(6);
  while (!token.empty() && token.back() == '=') token.pop_back();
  EXPECT_TRUE(nip98::verify("nostr " + token, get_request()).ok());
  EXPECT_TRUE(nip98::verify("  NOSTR \t" + token + " ", get_request()).ok());
}

TEST(Nip98, BodyHashIsBoundByThePayloadTag) {
  const std::string body = R"({"name":"my-relay"})";
  const Bytes32 digest = sha256(body);
  const std::string header = nip98::create_header(test::alice(), "POST", kUrl, kNow, digest);
  nip98::Request req{"POST", kUrl, digest, kNow};
  auto r = nip98::verify(header, req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload, digest.hex());

  req.body_sha256 = sha256(std::string_view("{\"name\":\"other\"}"));
  EXPECT_EQ(failure_of(header, req), Failure::payload_mismatch);
  // Uppercase hex in the tag names the same digest.
  EventTemplate upper = auth_template("POST");
  std::string hex = digest.hex();
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.tags.push_back({"payload", hex});
  EXPECT_TRUE(nip98::verify(header_for(upper), {"POST", kUrl, digest, kNow}).ok());
  // Body checked but no payload tag.
  EXPECT_EQ(failure_of(nip98::create_header(test::alice(), "POST", kUrl, kNow), {"POST", kUrl, digest, kNow}),
            Failure::missing_tag);
  // Body not checked: the tag is reported but not required to match anything.
  EXPECT_TRUE(nip98::verify(header, {"POST", kUrl, std::nullopt, kNow}).ok());
}

TEST(Nip98, EachFailureHasItsOwnReason) {
  const std::string good = nip98::create_header(test::alice(), "GET", kUrl, kNow);
  EXPECT_EQ(failure_of("Bearer abc", get_request()), Failure::bad_scheme);
  EXPECT_EQ(failure_of("Nostr", get_request()), Failure::bad_scheme);
  EXPECT_EQ(failure_of("NostrX " + good.substr(6), get_request()), Failure::bad_scheme);
  EXPECT_EQ(failure_of("Nostr !!!!", get_request()), Failure::bad_base64);
  EXPECT_EQ(failure_of("Nostr " + base64_encode(std::string_view("not json")), get_request()), Failure::bad_json);
  EXPECT_EQ(failure_of("Nostr " + base64_encode(std::string_view("{\"kind\":27235}")), get_request()), Failure::bad_json);
  EXPECT_EQ(failure_of(good, {"POST", kUrl, std::nullopt, kNow}), Failure::wrong_method);
  EXPECT_EQ(failure_of(good, {"get", kUrl, std::nullopt, kNow}), Failure::wrong_method);
  EXPECT_EQ(failure_of(good, {"GET", "https://api.marina.example/tenant/relays", std::nullopt, kNow}),
            Failure::wrong_url);
  EXPECT_EQ(failure_of(good, get_request(kNow + 61)), Failure::stale);
  EXPECT_EQ(failure_of(good, get_request(kNow - 61)), Failure::stale);  // from the future
  EXPECT_TRUE(nip98::verify(good, get_request(kNow + 60)).ok());
  EXPECT_TRUE(nip98::verify(good, get_request(kNow - 60)).ok());
  EXPECT_TRUE(nip98::verify(good, get_request(kNow + 300), {.window = std::chrono::seconds(300)}).ok());

  EventTemplate kind1 = auth_template();
  kind1.kind = 1;
  EXPECT_EQ(failure_of(header_for(kind1), get_request()), Failure::wrong_kind);
  EventTemplate no_u = auth_template();
  no_u.tags = {{"method", "GET"}};
  EXPECT_EQ(failure_of(header_for(no_u), get_request()), Failure::missing_tag);
  EventTemplate no_method = auth_template();
  no_method.tags = {{"u", kUrl}};
  EXPECT_EQ(failure_of(header_for(no_method), get_request()), Failure::missing_tag);

  // Tampered event: id no longer matches; re-hashed but not re-signed: bad signature.
  Event e = sign(auth_template(), test::alice());
  auto j = nlohmann::json::parse(e.raw);
  j["tags"][0][1] = kUrl + "&x=1";
  EXPECT_EQ(failure_of("Nostr " + base64_encode(j.dump()), get_request()), Failure::bad_id);
  e.tags[0][1] = kUrl + "&x=1";
  e.id = compute_event_id(e);
  j["id"] = e.id.hex();
  EXPECT_EQ(failure_of("Nostr " + base64_encode(j.dump()), get_request()), Failure::bad_signature);

  EXPECT_EQ(failure_of("Nostr " + std::string(20000, 'A'), get_request()), Failure::header_too_large);
  EXPECT_EQ(failure_of(good, get_request(), {.max_header_bytes = 100}), Failure::header_too_large);
}

TEST(Nip98, ExampleFromTheNipIsRejectedForItsId) {
  const std::string text = test::nip_text("98");
  const auto start = text.find("Authorization: Nostr");
  ASSERT_NE(start, std::string::npos);
  const auto line_start = text.find('\n', start) + 1;
  const std::string token = text.substr(line_start, text.find('\n', line_start) - line_start);
  nip98::Request req{"GET", "https://api.snort.social/api/v1/n5sp/list", std::nullopt, 1682327852};
  EXPECT_EQ(failure_of("Nostr " + token, req), Failure::bad_id);
}

TEST(Nip98, ReasonStringsAreStable) {
  const std::pair<Failure, const char*> all[] = {
      {Failure::header_too_large, "header-too-large"}, {Failure::bad_scheme, "bad-scheme"},
      {Failure::bad_base64, "bad-base64"},             {Failure::bad_json, "bad-json"},
      {Failure::bad_id, "bad-id"},                     {Failure::bad_signature, "bad-signature"},
      {Failure::wrong_kind, "wrong-kind"},             {Failure::stale, "stale"},
      {Failure::missing_tag, "missing-tag"},           {Failure::wrong_url, "wrong-url"},
      {Failure::wrong_method, "wrong-method"},         {Failure::payload_mismatch, "payload-mismatch"},
  };
  for (auto [f, s] : all) EXPECT_EQ(nip98::to_string(f), s);
}
