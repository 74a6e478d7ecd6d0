#pragma once
// The platform admins (HOSTING_ADMIN_PUBKEYS): the pubkeys auth gives the
// `admin` role. People paste keys from many tools, so each entry may be 64 hex
// characters (either case) or an npub.
#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "marina/nostr/bytes.hpp"

namespace marina::auth {

class AdminKeys {
 public:
  AdminKeys() = default;
  // Throws std::invalid_argument naming the first entry that is neither form
  // (so a typo stops the service instead of silently demoting an admin).
  static AdminKeys parse(const std::vector<std::string>& entries);

  bool contains(const nostr::PublicKey& key) const { return keys_.contains(key); }
  std::size_t size() const { return keys_.size(); }

 private:
  std::unordered_set<nostr::PublicKey> keys_;
};

}  // namespace marina::auth
