#pragma once
// The address of a replaceable or addressable event (NIP-01): pubkey, kind
// and, for addressable kinds, the `d` value. Replaceable kinds have d "".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/event.hpp"

namespace marina::store::detail {

struct Address {
  nostr::PublicKey pubkey;
  nostr::Kind kind = 0;
  std::string d;

  friend bool operator==(const Address&, const Address&) = default;
};

struct AddressHash {
  std::size_t operator()(const Address& a) const noexcept;
};

// nullopt for kinds that have no address (regular, ephemeral).
std::optional<Address> address_of(const nostr::Event& e);

// An `a` tag value "<kind>:<pubkey hex>:<d>" (NIP-01), normalized so it
// compares equal to address_of() of the event it names. nullopt when
// malformed or when the kind is neither replaceable nor addressable.
std::optional<Address> parse_address(std::string_view value);

}  // namespace marina::store::detail
