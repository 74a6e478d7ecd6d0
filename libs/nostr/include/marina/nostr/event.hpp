#pragma once
// The Nostr event (NIP-01) and what every service asks of it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marina/nostr/bytes.hpp"

namespace marina::nostr {

using Kind = std::uint16_t;  // NIP-01: an integer between 0 and 65535
using Tag = std::vector<std::string>;
using Tags = std::vector<Tag>;

// created_at is accepted in [0, 2^53 - 1]: beyond that, clients whose JSON
// numbers are doubles (every JavaScript client) cannot reproduce the id, so
// such an event could never be verified by the network.
inline constexpr std::int64_t kMaxCreatedAt = 9007199254740991;

// NIP-01 kind ranges. Kinds NIP-01 leaves unclassified (45..999 and
// 40000..65535) are stored and served like regular events, which is what
// "regular" means to the relay.
enum class KindClass { regular, replaceable, ephemeral, addressable };

KindClass kind_class(Kind kind) noexcept;
std::string_view to_string(KindClass c) noexcept;

struct Event {
  EventId id;
  PublicKey pubkey;
  Signature sig;
  std::int64_t created_at = 0;
  Kind kind = 0;
  Tags tags;
  std::string content;
  // The exact JSON object this event was parsed from (surrounding whitespace
  // trimmed), or the compact JSON sign() produced. The relay stores and
  // sends these bytes; it never re-serializes an event.
  std::string raw;

  std::string id_hex() const { return id.hex(); }
  std::string pubkey_hex() const { return pubkey.hex(); }
  std::string sig_hex() const { return sig.hex(); }

  KindClass kind_class() const noexcept { return nostr::kind_class(kind); }

  // Value (second element) of the first tag named `name`. A tag that has only
  // a name has the empty value. nullopt when no tag has that name.
  std::optional<std::string_view> first_tag_value(std::string_view name) const noexcept;

  // The `d` tag value that, with kind and pubkey, addresses an addressable
  // event: the first `d` tag's value, or "" when there is none (NIP-01).
  std::string_view d_tag() const noexcept { return first_tag_value("d").value_or(std::string_view{}); }
};

// What a signer provides; sign() (event_sign.hpp) adds pubkey, id, sig, raw.
struct EventTemplate {
  std::int64_t created_at = 0;
  Kind kind = 0;
  Tags tags;
  std::string content;
};

}  // namespace marina::nostr
