#include "event_rules.hpp"

#include "relay_url.hpp"

namespace marina::store::detail {

DeletionTargets deletion_targets(const nostr::Event& deletion) {
  DeletionTargets out;
  for (const nostr::Tag& t : deletion.tags) {
    if (t.size() < 2) continue;
    if (t[0] == "e") {
      if (auto id = nostr::EventId::from_hex(t[1])) out.ids.push_back(*id);
    } else if (t[0] == "a") {
      // A NUL cannot be stored in a PostgreSQL text, so no stored address has one.
      if (t[1].find('\0') != std::string::npos) continue;
      auto address = parse_address(t[1]);
      if (address && address->pubkey == deletion.pubkey) out.addresses.push_back(std::move(*address));
    }
  }
  return out;
}

std::vector<nostr::PublicKey> gift_wrap_recipients(const nostr::Event& wrap) {
  std::vector<nostr::PublicKey> out;
  for (const nostr::Tag& t : wrap.tags) {
    if (t.size() >= 2 && t[0] == "p") {
      if (auto pubkey = nostr::PublicKey::from_hex(t[1])) out.push_back(*pubkey);
    }
  }
  return out;
}

bool asks_to_vanish_here(const nostr::Event& e, std::string_view relay_url) {
  if (e.kind != kVanishKind) return false;
  const std::string here = relay_url_key(relay_url);
  for (const nostr::Tag& t : e.tags) {
    if (t.size() < 2 || t[0] != "relay") continue;
    if (t[1] == "ALL_RELAYS") return true;
    if (!here.empty() && relay_url_key(t[1]) == here) return true;
  }
  return false;
}

}  // namespace marina::store::detail
