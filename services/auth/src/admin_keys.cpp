#include "admin_keys.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "marina/nostr/nip19.hpp"

namespace marina::auth {

namespace {

std::optional<nostr::PublicKey> parse_key(std::string entry) {
  if (entry.starts_with("npub1")) {
    auto key = nostr::nip19::decode_npub(entry);
    if (!key) return std::nullopt;
    return *key;
  }
  std::transform(entry.begin(), entry.end(), entry.begin(), [](unsigned char c) { return std::tolower(c); });
  return nostr::PublicKey::from_hex(entry);
}

}  // namespace

AdminKeys AdminKeys::parse(const std::vector<std::string>& entries) {
  AdminKeys admins;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto key = parse_key(entries[i]);
    if (!key)
      throw std::invalid_argument("entry " + std::to_string(i + 1) + " ('" + entries[i] +
                                  "') is neither 64 hex characters nor an npub");
    admins.keys_.insert(*key);
  }
  return admins;
}

}  // namespace marina::auth
