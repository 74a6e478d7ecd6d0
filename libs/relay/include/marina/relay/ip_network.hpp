#pragma once
// An IPv4 or IPv6 address or network (CIDR), for the `ip` auth rules: parsed
// and written in one canonical form (so one network is one rule), and matched
// against a client's address. An IPv4-mapped IPv6 address (::ffff:a.b.c.d,
// what a dual-stack socket reports) matches as the IPv4 address it carries.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marina::relay {

class IpNetwork {
 public:
  // "192.0.2.1", "192.0.2.0/24", "2001:db8::/32", "::1". Host bits under the
  // prefix are cleared ("10.1.2.3/8" is 10.0.0.0/8). nullopt when malformed.
  static std::optional<IpNetwork> parse(std::string_view text);

  // "192.0.2.0/24"; a single address without "/32" or "/128".
  std::string to_string() const;
  bool is_v6() const { return v6_; }
  int prefix() const { return prefix_; }

  // True when `address` (a single address) lies inside this network.
  bool contains(const IpNetwork& address) const;

 private:
  std::array<std::uint8_t, 16> bytes_{};  // IPv4 in the first 4
  bool v6_ = false;
  int prefix_ = 0;
};

}  // namespace marina::relay
