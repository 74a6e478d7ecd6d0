#include "marina/http/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace marina::http {

namespace {

namespace ip = boost::asio::ip;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An address with IPv4-mapped IPv6 ("::ffff:10.0.0.1") seen as the IPv4 it is.
std::optional<ip::address> parse_ip(std::string_view text) {
  boost::system::error_code ec;
  auto a = ip::make_address(trim(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::address(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
  return a;
}

}  // namespace

std::optional<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries, std::string& bad_entry) {
  TrustedProxies t;
  for (const std::string& entry : entries) {
    std::string_view text = trim(entry);
    const auto slash = text.find('/');
    auto address = parse_ip(text.substr(0, slash));
    if (!address) {
      bad_entry = entry;
      return std::nullopt;
    }
    Block b;
    b.v6 = address->is_v6();
    const unsigned bits = b.v6 ? 128 : 32;
    b.prefix = bits;
    if (slash != std::string_view::npos) {
      const std::string_view p = text.substr(slash + 1);
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), b.prefix);
      if (ec != std::errc() || end != p.data() + p.size() || b.prefix > bits) {
        bad_entry = entry;
        return std::nullopt;
      }
    }
    if (b.v6) {
      auto bytes = address->to_v6().to_bytes();
      std::copy(bytes.begin(), bytes.end(), b.bytes.begin());
    } else {
      auto bytes = address->to_v4().to_bytes();
      std::copy(bytes.begin(), bytes.end(), b.bytes.begin());
    }
    t.blocks_.push_back(b);
  }
  return t;
}

bool TrustedProxies::contains(std::string_view text) const noexcept {
  auto address = parse_ip(text);
  if (!address) return false;
  std::array<unsigned char, 16> bytes{};
  if (address->is_v6()) {
    auto b = address->to_v6().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
  } else {
    auto b = address->to_v4().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
  }
  for (const Block& block : blocks_) {
    if (block.v6 != address->is_v6()) continue;
    unsigned left = block.prefix;
    bool match = true;
    for (std::size_t i = 0; left > 0 && match; ++i) {
      const unsigned take = left >= 8 ? 8 : left;
      const unsigned char mask = static_cast<unsigned char>(0xff << (8 - take));
      match = (bytes[i] & mask) == (block.bytes[i] & mask);
      left -= take;
    }
    if (match) return true;
  }
  return false;
}

std::string client_address(const Headers& headers, std::string_view peer_address,
                           const TrustedProxies& trusted) {
  if (trusted.contains(peer_address)) {
    if (auto real = headers.get("X-Real-IP")) {
      if (auto a = parse_ip(*real)) return a->to_string();
    }
    // The last entry is the one the trusted proxy appended: the address it saw.
    if (auto forwarded = headers.get("X-Forwarded-For")) {
      const std::string_view list = *forwarded;
      const auto comma = list.rfind(',');
      if (auto a = parse_ip(comma == std::string_view::npos ? list : list.substr(comma + 1))) return a->to_string();
    }
  }
  if (auto a = parse_ip(peer_address)) return a->to_string();
  return std::string(peer_address);
}

}  // namespace marina::http
