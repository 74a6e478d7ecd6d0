// Which relay a Host names.
#include <gtest/gtest.h>

#include "marina/relay_query/host_routing.hpp"
#include "marina/relay_query/relay_http.hpp"

namespace marina::relay_query {
namespace {

TEST(HostRouting, SubdomainUnderTheRelayDomain) {
  EXPECT_EQ(relay_subdomain("alpha.relay.localhost", "relay.localhost"), "alpha");
  EXPECT_EQ(relay_subdomain("Alpha.Relay.LOCALHOST:8080", "relay.localhost"), "alpha") << "case and port ignored";
  EXPECT_EQ(relay_subdomain("alpha.relay.localhost.", "relay.localhost"), "alpha") << "a fully qualified name";
  EXPECT_EQ(relay_subdomain("my-relay-2.relay.example", "relay.example"), "my-relay-2");
}

TEST(HostRouting, AnythingElseNamesNoRelay) {
  EXPECT_FALSE(relay_subdomain("relay.localhost", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("a.b.relay.localhost", "relay.localhost")) << "not directly under the domain";
  EXPECT_FALSE(relay_subdomain("alpha.relay.localhost.evil.com", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("alphanrelay.localhost", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("api.localhost", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("[::1]:8080", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("-bad.relay.localhost", "relay.localhost"));
  EXPECT_FALSE(relay_subdomain("sp ace.relay.localhost", "relay.localhost"));
}

TEST(HostRouting, InactiveRelaysDoNotServeClients) {
  store::Relay r;
  r.status = store::RelayStatus::active;
  EXPECT_TRUE(serves_clients(r));
  r.status = store::RelayStatus::suspended;
  EXPECT_TRUE(serves_clients(r)) << "a suspended relay still serves reads";
  r.status = store::RelayStatus::inactive;
  EXPECT_FALSE(serves_clients(r));
}

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
