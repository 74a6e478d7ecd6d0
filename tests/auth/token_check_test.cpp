// check_token: one valid token, then each way a token can be wrong, with the
// reason code /verify answers.
#include "token_check.hpp"

#include <gtest/gtest.h>

#include <set>

#include "marina/nostr/keys.hpp"
#include "token_helpers.hpp"

namespace marina::auth {
namespace {

using testing::alice;
using testing::auth_template;
using testing::header_for;
using testing::kNow;

const OriginalRequest kGet{.method = "GET",
                           .uri = "/tenant/relays?limit=5",
                           .url = "https://api.marina.example/tenant/relays?limit=5"};
const TokenRules kRules{.window = std::chrono::seconds(60), .max_header_bytes = 8 * 1024};

Reason reason_of(std::optional<std::string_view> header, const OriginalRequest& request = kGet,
                 std::int64_t now = kNow) {
  auto r = check_token(header, request, now, kRules);
  EXPECT_FALSE(r.ok()) << (header ? *header : "(none)");
  return r.ok() ? Reason::rate_limited : r.error();
}

TEST(TokenCheck, ValidTokenYieldsPubkeyAndEventId) {
  auto r = check_token(header_for(auth_template("GET", kGet.url)), kGet, kNow, kRules);
  ASSERT_TRUE(r.ok()) << code(r.error());
  EXPECT_EQ(r->pubkey, nostr::public_key(alice()));
  EXPECT_EQ(r->created_at, kNow);
  EXPECT_FALSE(r->payload_sha256);
}

TEST(TokenCheck, MissingOrBlankAuthorization) {
  EXPECT_EQ(reason_of(std::nullopt), Reason::missing_authorization);
  EXPECT_EQ(reason_of(""), Reason::missing_authorization);
  EXPECT_EQ(reason_of("  "), Reason::missing_authorization);
}

TEST(TokenCheck, HeaderTooLargeBeforeAnythingElse) {
  EXPECT_EQ(reason_of("Nostr " + std::string(kRules.max_header_bytes, 'A')), Reason::header_too_large);
}

TEST(TokenCheck, SchemeBase64AndJson) {
  EXPECT_EQ(reason_of("Bearer abc"), Reason::bad_scheme);
  EXPECT_EQ(reason_of("Nostr"), Reason::bad_scheme);
  EXPECT_EQ(reason_of("Nostr !!!not-base64!!!"), Reason::bad_base64);
  EXPECT_EQ(reason_of("Nostr " + nostr::base64_encode(std::string_view("not json"))), Reason::bad_json);
  EXPECT_EQ(reason_of("Nostr " + nostr::base64_encode(std::string_view("{}"))), Reason::bad_json);
}

TEST(TokenCheck, TamperedIdAndSignature) {
  EXPECT_EQ(reason_of(testing::header_with_replaced(auth_template("GET", kGet.url), "id")), Reason::bad_id);
  EXPECT_EQ(reason_of(testing::header_with_replaced(auth_template("GET", kGet.url), "sig")), Reason::bad_signature);
}

TEST(TokenCheck, WrongKind) {
  auto t = auth_template("GET", kGet.url);
  t.kind = 1;
  EXPECT_EQ(reason_of(header_for(t)), Reason::wrong_kind);
}

TEST(TokenCheck, MissingTags) {
  auto t = auth_template("GET", kGet.url);
  t.tags = {{"u", kGet.url}};
  EXPECT_EQ(reason_of(header_for(t)), Reason::missing_tag);
  t.tags = {{"method", "GET"}};
  EXPECT_EQ(reason_of(header_for(t)), Reason::missing_tag);
}

TEST(TokenCheck, UrlMustMatchExactlyIncludingTheQuery) {
  EXPECT_EQ(reason_of(header_for(auth_template("GET", "https://api.marina.example/tenant/relays?limit=6"))),
            Reason::wrong_url);
  EXPECT_EQ(reason_of(header_for(auth_template("GET", "https://api.marina.example/tenant/relays"))),
            Reason::wrong_url);
  EXPECT_EQ(reason_of(header_for(auth_template("GET", "http://api.marina.example/tenant/relays?limit=5"))),
            Reason::wrong_url);
  EXPECT_EQ(reason_of(header_for(auth_template("GET", "https://other.example/tenant/relays?limit=5"))),
            Reason::wrong_url);
}

TEST(TokenCheck, MethodMustMatch) {
  EXPECT_EQ(reason_of(header_for(auth_template("POST", kGet.url))), Reason::wrong_method);
  // HTTP methods are case-sensitive (RFC 9110) and NIP-98 asks for the same one.
  EXPECT_EQ(reason_of(header_for(auth_template("get", kGet.url))), Reason::wrong_method);
}

TEST(TokenCheck, WindowEdgesAndDirection) {
  EXPECT_TRUE(check_token(header_for(auth_template("GET", kGet.url, kNow - 60)), kGet, kNow, kRules).ok());
  EXPECT_TRUE(check_token(header_for(auth_template("GET", kGet.url, kNow + 60)), kGet, kNow, kRules).ok());
  EXPECT_EQ(reason_of(header_for(auth_template("GET", kGet.url, kNow - 61))), Reason::stale);
  EXPECT_EQ(reason_of(header_for(auth_template("GET", kGet.url, kNow + 61))), Reason::future);
  EXPECT_EQ(reason_of(header_for(auth_template("GET", kGet.url, 0))), Reason::stale);
}

TEST(TokenCheck, TimeIsCheckedAfterUrlAndMethod) {
  EXPECT_EQ(reason_of(header_for(auth_template("GET", "https://elsewhere.example/", kNow - 3600))), Reason::wrong_url);
  EXPECT_EQ(reason_of(header_for(auth_template("PUT", kGet.url, kNow + 3600))), Reason::wrong_method);
}

TEST(TokenCheck, PayloadTagIsLowercasedAndMustBeADigest) {
  auto t = auth_template("GET", kGet.url);
  const std::string upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
  t.tags.push_back({"payload", upper});
  auto r = check_token(header_for(t), kGet, kNow, kRules);
  ASSERT_TRUE(r.ok()) << code(r.error());
  EXPECT_EQ(r->payload_sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  t.tags.back() = {"payload", "not-a-digest"};
  EXPECT_EQ(reason_of(header_for(t)), Reason::payload_mismatch);
}

TEST(Reasons, CodesAreDistinctAndDescribed) {
  std::set<std::string_view> codes;
  for (auto r : kAllReasons) {
    EXPECT_TRUE(codes.insert(code(r)).second) << code(r);
    EXPECT_FALSE(describe(r).empty());
  }
  EXPECT_EQ(code(Reason::future), "future");
  EXPECT_EQ(code(Reason::header_too_large), "header-too-large");
}

}  // namespace
}  // namespace marina::auth
