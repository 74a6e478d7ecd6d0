#include "address.hpp"

#include <charconv>
#include <functional>

namespace marina::store::detail {

std::size_t AddressHash::operator()(const Address& a) const noexcept {
  std::size_t h = std::hash<nostr::PublicKey>{}(a.pubkey);
  h ^= std::hash<std::string>{}(a.d) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h ^ (std::size_t{a.kind} * 0x100000001b3ULL);
}

std::optional<Address> address_of(const nostr::Event& e) {
  switch (e.kind_class()) {
    case nostr::KindClass::replaceable: return Address{e.pubkey, e.kind, {}};
    case nostr::KindClass::addressable: return Address{e.pubkey, e.kind, std::string(e.d_tag())};
    default: return std::nullopt;
  }
}

std::optional<Address> parse_address(std::string_view value) {
  const auto first = value.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = value.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::string_view kind_text = value.substr(0, first);
  unsigned kind = 0;
  auto [end, ec] = std::from_chars(kind_text.data(), kind_text.data() + kind_text.size(), kind);
  if (kind_text.empty() || ec != std::errc() || end != kind_text.data() + kind_text.size() || kind > 65535)
    return std::nullopt;
  auto pubkey = nostr::PublicKey::from_hex(value.substr(first + 1, second - first - 1));
  if (!pubkey) return std::nullopt;
  Address a{*pubkey, static_cast<nostr::Kind>(kind), std::string(value.substr(second + 1))};
  switch (nostr::kind_class(a.kind)) {
    case nostr::KindClass::replaceable: a.d.clear(); return a;  // the d part means nothing there
    case nostr::KindClass::addressable: return a;
    default: return std::nullopt;
  }
}

}  // namespace marina::store::detail
