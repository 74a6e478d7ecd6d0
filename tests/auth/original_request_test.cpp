// What /verify takes the client's request to be, from the ingress's headers:
// the local nginx's X-Original-URI + Host + X-Forwarded-Proto, or
// ingress-nginx's X-Original-URL.
#include "original_request.hpp"

#include <gtest/gtest.h>

namespace marina::auth {
namespace {

http::Request subrequest(std::initializer_list<std::pair<std::string, std::string>> headers) {
  auto r = http::Request::make("GET", "/verify");
  r.remote_address = "127.0.0.1";
  for (const auto& [name, value] : headers) r.headers.add(name, value);
  return r;
}

TEST(OriginalRequest, LocalIngressHeaders) {
  auto o = original_request(subrequest({{"X-Original-Method", "POST"},
                                        {"X-Original-URI", "/tenant/relays?x=1&y=%20"},
                                        {"Host", "api.localhost:8080"},
                                        {"X-Forwarded-Proto", "http"}}));
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->method, "POST");
  EXPECT_EQ(o->uri, "/tenant/relays?x=1&y=%20");
  EXPECT_EQ(o->url, "http://api.localhost:8080/tenant/relays?x=1&y=%20");
}

TEST(OriginalRequest, IngressNginxOriginalUrlWins) {
  auto o = original_request(subrequest({{"X-Original-Method", "GET"},
                                        {"X-Original-URL", "https://api.example.com/tenant?full=1"},
                                        {"Host", "marina-auth.default.svc.cluster.local"},
                                        {"X-Forwarded-Proto", ""}}));
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->url, "https://api.example.com/tenant?full=1");
  EXPECT_EQ(o->uri, "/tenant?full=1");

  auto bare = original_request(subrequest({{"X-Original-Method", "GET"}, {"X-Original-URL", "https://api.example.com"}}));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->uri, "/");
  auto query_only =
      original_request(subrequest({{"X-Original-Method", "GET"}, {"X-Original-URL", "https://api.example.com?a=/b"}}));
  ASSERT_TRUE(query_only.ok());
  EXPECT_EQ(query_only->uri, "/?a=/b");
}

TEST(OriginalRequest, IncompleteSubrequestsAreNamed) {
  auto no_method = original_request(subrequest({{"X-Original-URI", "/"}, {"Host", "h"}, {"X-Forwarded-Proto", "http"}}));
  ASSERT_FALSE(no_method.ok());
  EXPECT_NE(no_method.error().find("X-Original-Method"), std::string::npos);

  auto no_uri = original_request(subrequest({{"X-Original-Method", "GET"}, {"Host", "h"}, {"X-Forwarded-Proto", "http"}}));
  ASSERT_FALSE(no_uri.ok());
  EXPECT_NE(no_uri.error().find("X-Original-URI"), std::string::npos);

  auto no_proto = original_request(subrequest({{"X-Original-Method", "GET"}, {"X-Original-URI", "/"}, {"Host", "h"}}));
  ASSERT_FALSE(no_proto.ok());
  EXPECT_NE(no_proto.error().find("X-Forwarded-Proto"), std::string::npos);

  EXPECT_FALSE(original_request(subrequest({{"X-Original-Method", "GET"},
                                            {"X-Original-URI", "relative"},
                                            {"Host", "h"},
                                            {"X-Forwarded-Proto", "http"}}))
                   .ok());
  EXPECT_FALSE(original_request(subrequest({{"X-Original-Method", "GET"}, {"X-Original-URL", "/just/a/path"}})).ok());
  EXPECT_FALSE(original_request(subrequest({{"X-Original-Method", "G ET"},
                                            {"X-Original-URI", "/"},
                                            {"Host", "h"},
                                            {"X-Forwarded-Proto", "http"}}))
                   .ok());
}

}  // namespace
}  // namespace marina::auth
