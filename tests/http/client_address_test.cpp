// Which client address a request counts as: forwarded headers only from trusted proxies.
#include <gtest/gtest.h>

#include <stdexcept>

#include "marina/http/client_address.hpp"

namespace marina::http {
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
  const TrustedProxies trusted = proxies("127.0.0.1,10.0.0.0/8,::1");
  Headers h;
  h.set("X-Real-IP", "203.0.113.7");
  h.set("X-Forwarded-For", "198.51.100.1, 203.0.113.9");
  EXPECT_EQ(client_address(h, "127.0.0.1", trusted), "203.0.113.7");
  EXPECT_EQ(client_address(h, "10.1.2.3", trusted), "203.0.113.7");
  EXPECT_EQ(client_address(h, "198.51.100.20", trusted), "198.51.100.20") << "a direct client cannot pick its address";
  h.remove("X-Real-IP");
  EXPECT_EQ(client_address(h, "::1", trusted), "203.0.113.9") << "the hop the proxy appended";
  h.set("X-Forwarded-For", "not an address");
  EXPECT_EQ(client_address(h, "127.0.0.1", trusted), "127.0.0.1");
  EXPECT_EQ(client_address(Headers{}, "::ffff:127.0.0.1", trusted), "127.0.0.1");
}

TEST(ClientAddress, TheDefaultTrustsTheLocalIngressOnly) {
  const TrustedProxies trusted = proxies(std::string(kDefaultTrustedProxies));
  Headers h;
  h.set("X-Real-IP", "203.0.113.7");
  h.set("X-Forwarded-For", "203.0.113.9");
  EXPECT_EQ(client_address(h, "127.0.0.1", trusted), "203.0.113.7");
  EXPECT_EQ(client_address(h, "::ffff:127.0.0.1", trusted), "203.0.113.7");
  // Anything else on the machine is a client like any other.
  EXPECT_EQ(client_address(h, "127.0.0.2", trusted), "127.0.0.2");
  EXPECT_EQ(client_address(h, "::1", trusted), "::1");
  EXPECT_EQ(client_address(h, "10.0.0.5", trusted), "10.0.0.5");
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

}  // namespace
}  // namespace marina::http
