#include "marina/relay/ip_network.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace marina::relay {
namespace {

bool is_v4_mapped(const std::array<std::uint8_t, 16>& b) {
  return std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) && b[10] == 0xff &&
         b[11] == 0xff;
}

}  // namespace

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const auto slash = text.find('/');
  const std::string address(text.substr(0, slash));
  IpNetwork n;
  if (inet_pton(AF_INET, address.c_str(), n.bytes_.data()) == 1) {
    n.v6_ = false;
  } else if (inet_pton(AF_INET6, address.c_str(), n.bytes_.data()) == 1) {
    n.v6_ = true;
  } else {
    return std::nullopt;
  }
  const int bits = n.v6_ ? 128 : 32;
  n.prefix_ = bits;
  if (slash != std::string_view::npos) {
    const std::string_view len = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
    if (len.empty() || ec != std::errc() || end != len.data() + len.size() || prefix < 0 || prefix > bits)
      return std::nullopt;
    n.prefix_ = prefix;
  }
  // A mapped IPv4 address is that IPv4 address.
  if (n.v6_ && is_v4_mapped(n.bytes_) && n.prefix_ >= 96) {
    std::copy(n.bytes_.begin() + 12, n.bytes_.end(), n.bytes_.begin());
    std::fill(n.bytes_.begin() + 4, n.bytes_.end(), 0);
    n.v6_ = false;
    n.prefix_ -= 96;
  }
  for (int i = n.prefix_; i < 128; ++i) n.bytes_[i / 8] &= static_cast<std::uint8_t>(~(0x80 >> (i % 8)));
  return n;
}

std::string IpNetwork::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6_ ? AF_INET6 : AF_INET, bytes_.data(), buf, sizeof buf);
  std::string out = buf;
  if (prefix_ != (v6_ ? 128 : 32)) out += "/" + std::to_string(prefix_);
  return out;
}

bool IpNetwork::contains(const IpNetwork& address) const {
  if (address.v6_ != v6_ || address.prefix_ < prefix_) return false;
  for (int i = 0; i < prefix_; ++i) {
    const std::uint8_t mask = static_cast<std::uint8_t>(0x80 >> (i % 8));
    if ((bytes_[i / 8] & mask) != (address.bytes_[i / 8] & mask)) return false;
  }
  return true;
}

}  // namespace marina::relay
