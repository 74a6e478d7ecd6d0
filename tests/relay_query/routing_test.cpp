// Which client address a connection counts as, and the relay's HTTP answers
// (which relay a Host names is libs/relay's, tested in tests/relay).
#include <gtest/gtest.h>

#include "host_routing.hpp"
#include "marina/relay_query/client_address.hpp"
#include "relay_http.hpp"

namespace marina::relay_query {
namespace {

TrustedProxies proxies(std::string list) {
  std::vector<std::string> entries;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    entries.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  std::string bad;
  auto t = TrustedProxies::parse(entries, bad);
  if (!t) throw std::runtime_error("bad proxy list entry " + bad);
  return *t;
}

TEST(ClientAddress, ForwardedHeadersAreBelievedOnlyFromTrustedProxies) {
  const TrustedProxies trusted = proxies(std::string(kDefaultTrustedProxies));
  http::Headers h;
  h.set("X-Real-IP", "203.0.113.7");
  h.set("X-Forwarded-For", "198.51.100.1, 203.0.113.9");
  EXPECT_EQ(client_address(h, "127.0.0.1", trusted), "203.0.113.7");
  EXPECT_EQ(client_address(h, "10.1.2.3", trusted), "203.0.113.7");
  EXPECT_EQ(client_address(h, "198.51.100.20", trusted), "198.51.100.20") << "a direct client cannot pick its address";
  h.remove("X-Real-IP");
  EXPECT_EQ(client_address(h, "::1", trusted), "203.0.113.9") << "the hop the proxy appended";
  h.set("X-Forwarded-For", "not an address");
  EXPECT_EQ(client_address(h, "127.0.0.1", trusted), "127.0.0.1");
  EXPECT_EQ(client_address(http::Headers{}, "::ffff:127.0.0.1", trusted), "127.0.0.1");
}

TEST(ClientAddress, ProxyListsAreCidrBlocks) {
  const TrustedProxies t = proxies("192.168.0.0/16,2001:db8::/32,172.16.0.1");
  EXPECT_TRUE(t.contains("192.168.44.5"));
  EXPECT_FALSE(t.contains("192.169.0.1"));
  EXPECT_TRUE(t.contains("2001:db8:1::5"));
  EXPECT_FALSE(t.contains("2001:db9::5"));
  EXPECT_TRUE(t.contains("172.16.0.1"));
  EXPECT_FALSE(t.contains("172.16.0.2"));
  std::string bad;
  EXPECT_FALSE(TrustedProxies::parse({"10.0.0.0/33"}, bad));
  EXPECT_EQ(bad, "10.0.0.0/33");
  EXPECT_FALSE(TrustedProxies::parse({"localhost"}, bad));
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
