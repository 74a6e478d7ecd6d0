// Which relay a Host header names.
#include "marina/relay/host.hpp"

#include <gtest/gtest.h>

namespace marina::relay {
namespace {

TEST(SubdomainOf, TakesTheOneLabelDirectlyUnderTheRelayDomain) {
  EXPECT_EQ(subdomain_of("foo.relay.example", "relay.example"), "foo");
  EXPECT_EQ(subdomain_of("Foo.Relay.Example:443", "relay.example"), "foo");
  EXPECT_EQ(subdomain_of("foo.relay.example.", "RELAY.example"), "foo");
  EXPECT_EQ(subdomain_of("my-relay-1.relay.example:8080", "relay.example"), "my-relay-1");
  EXPECT_EQ(subdomain_of("a.b.relay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("relay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of(".relay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("fooxrelay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("foo.evil-relay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("foo.relay.example.evil", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("-foo.relay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("fo_o.relay.example", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("[::1]:443", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of("", "relay.example"), std::nullopt);
  EXPECT_EQ(subdomain_of(std::string(64, 'a') + ".relay.example", "relay.example"), std::nullopt);
}

TEST(HostRouting, SubdomainUnderTheRelayDomain) {
  EXPECT_EQ(subdomain_of("alpha.relay.localhost", "relay.localhost"), "alpha");
  EXPECT_EQ(subdomain_of("Alpha.Relay.LOCALHOST:8080", "relay.localhost"), "alpha") << "case and port ignored";
  EXPECT_EQ(subdomain_of("alpha.relay.localhost.", "relay.localhost"), "alpha") << "a fully qualified name";
  EXPECT_EQ(subdomain_of("my-relay-2.relay.example", "relay.example"), "my-relay-2");
}

TEST(HostRouting, AnythingElseNamesNoRelay) {
  EXPECT_FALSE(subdomain_of("relay.localhost", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("a.b.relay.localhost", "relay.localhost")) << "not directly under the domain";
  EXPECT_FALSE(subdomain_of("alpha.relay.localhost.evil.com", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("alphanrelay.localhost", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("api.localhost", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("[::1]:8080", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("-bad.relay.localhost", "relay.localhost"));
  EXPECT_FALSE(subdomain_of("sp ace.relay.localhost", "relay.localhost"));
}

}  // namespace
}  // namespace marina::relay
