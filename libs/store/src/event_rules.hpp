#pragma once
// What NIP-09, NIP-59 and NIP-62 events ask of the relay, read from their tags.
#include <string_view>
#include <vector>

#include "address.hpp"
#include "marina/nostr/event.hpp"

namespace marina::store::detail {

inline constexpr nostr::Kind kDeletionKind = 5;
inline constexpr nostr::Kind kVanishKind = 62;
inline constexpr nostr::Kind kGiftWrapKind = 1059;

// NIP-09 (kind 5): the ids of its well-formed `e` tags, and the addresses of
// its well-formed `a` tags that belong to its own author (nobody can delete
// someone else's address; an `e` target's author is only known once found).
struct DeletionTargets {
  std::vector<nostr::EventId> ids;
  std::vector<Address> addresses;
};
DeletionTargets deletion_targets(const nostr::Event& deletion);

// NIP-59: the pubkeys a gift wrap (kind 1059) is addressed to (`p` tags).
std::vector<nostr::PublicKey> gift_wrap_recipients(const nostr::Event& wrap);

// NIP-62: a kind 62 whose `relay` tags name this relay (`relay_url`,
// compared normalized) or ALL_RELAYS.
bool asks_to_vanish_here(const nostr::Event& e, std::string_view relay_url);

// Events a deletion cannot touch (NIP-09: deleting a deletion has no effect;
// NIP-62: neither has deleting a request to vanish). Requests to vanish are
// also kept through later vanishes, as the record of what was asked.
inline bool is_undeletable(nostr::Kind kind) { return kind == kDeletionKind || kind == kVanishKind; }

}  // namespace marina::store::detail
