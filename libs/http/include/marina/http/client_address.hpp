#pragma once
// The client's IP address as a service counts it (per-address limits, logs).
//
// Behind the ingress the socket peer is the ingress, which passes the client's
// address in X-Real-IP and X-Forwarded-For. Those headers are believed only
// when the peer is a trusted proxy (the TRUSTED_PROXIES setting, see
// libs/service trusted_proxies.hpp): anyone else could claim any address and
// dodge the limits. So what must hold of the network: every trusted address
// is an ingress that overwrites both headers with the address it saw, and
// nothing else can connect from a trusted address.
//
// Rule, the same in every service: from a trusted peer, X-Real-IP when it is
// an IP address, else the last X-Forwarded-For entry (the one the proxy
// appended) when it is one; otherwise the peer's own address.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marina/http/headers.hpp"

namespace marina::http {

class TrustedProxies {
 public:
  // Single addresses or CIDR blocks ("127.0.0.1", "10.0.0.0/8", "::1").
  // nullopt when one is neither; `bad_entry` names it.
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

// The local ingress's exact address: nothing else on the machine is believed.
inline constexpr std::string_view kDefaultTrustedProxies = "127.0.0.1";

std::string client_address(const Headers& headers, std::string_view peer_address, const TrustedProxies& trusted);

}  // namespace marina::http
