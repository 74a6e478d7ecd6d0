// The relay's HTTP answers (which relay a Host names is libs/relay's, tested
// in tests/relay; which address a client counts as is libs/http's).
#include <gtest/gtest.h>

#include "relay_http.hpp"

namespace marina::relay_query {
namespace {

TEST(RelayHttp, TheDocumentIsForAcceptNostrJson) {
  http::Request r = http::Request::make("GET", "/");
  EXPECT_FALSE(wants_relay_document(r));
  r.headers.set("Accept", "text/html");
  EXPECT_FALSE(wants_relay_document(r));
  r.headers.set("Accept", "Application/Nostr+JSON");
  EXPECT_TRUE(wants_relay_document(r));
  r.headers.set("Accept", "text/html, application/nostr+json;q=0.9");
  EXPECT_TRUE(wants_relay_document(r));
}

TEST(RelayHttp, CorsHeadersLetAnyOriginRead) {
  http::Response r;
  add_cors_headers(r);
  EXPECT_EQ(r.headers.get("Access-Control-Allow-Origin"), "*");
  EXPECT_TRUE(r.headers.get("Access-Control-Allow-Headers"));
  EXPECT_NE(r.headers.get("Access-Control-Allow-Methods")->find("GET"), std::string::npos);
}

TEST(RelayHttp, ThePageNamesTheRelayAndEscapesIt) {
  store::Relay r;
  r.subdomain = "alpha";
  r.name = "<script>alert(1)</script>";
  r.description = "Fish & chips";
  r.config = relay::make_relay_config({}, relay::RelayIdentity{r.subdomain, r.name, r.description}, nullptr);
  const std::string page = relay_page(r, "wss://alpha.relay.example");
  EXPECT_NE(page.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("Fish &amp; chips"), std::string::npos);
  EXPECT_NE(page.find("wss://alpha.relay.example"), std::string::npos);
}

TEST(RelayHttp, UnknownRelaysAre404Problems) {
  const http::Response r = relay_not_found();
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(r.body.find("relay-not-found"), std::string::npos);
}

}  // namespace
}  // namespace marina::relay_query
