#include "admin_route.hpp"

namespace marina::relay_ingest {

bool is_admin_command(const nostr::Event& event, std::string_view relay_pubkey_hex) {
  if (event.kind != kAdminCommandKind || relay_pubkey_hex.empty()) return false;
  for (const nostr::Tag& tag : event.tags) {
    // Any p tag: a client may address the command to several keys.
    if (tag.size() >= 2 && tag[0] == "p" && tag[1] == relay_pubkey_hex) return true;
  }
  return false;
}

}  // namespace marina::relay_ingest
