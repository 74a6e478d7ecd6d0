#pragma once
// The client's IP address as relay-query counts it. Behind the ingress the
// socket peer is the ingress, which passes the client's address in X-Real-IP
// (and X-Forwarded-For). Those headers are believed only when the peer is a
// trusted proxy (RELAY_QUERY_TRUSTED_PROXIES): a client connecting directly
// could otherwise claim any address and evade the per-IP bounds.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marina/http/headers.hpp"

namespace marina::relay_query {

class TrustedProxies {
 public:
  // Comma-separated CIDR blocks or single addresses ("127.0.0.0/8,::1").
  // nullopt names the first entry that is not one.
  static std::optional<TrustedProxies> parse(const std::vector<std::string>& entries, std::string& bad_entry);

  bool contains(std::string_view address) const noexcept;

 private:
  struct Block {
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};
    unsigned prefix = 0;
  };
  std::vector<Block> blocks_;
};

// Loopback and the private ranges: where an ingress in front of relay-query lives.
inline constexpr std::string_view kDefaultTrustedProxies =
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

std::string client_address(const http::Headers& headers, std::string_view peer_address, const TrustedProxies& trusted);

}  // namespace marina::relay_query
