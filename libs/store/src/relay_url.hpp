#pragma once
// Comparing relay URLs the way people write them (NIP-62 `relay` tags).
//
// Loose on purpose: a request to vanish names the relay it is for, and any
// spelling of this relay's address counts. Not the NIP-42 comparison
// (nostr::nip42::normalize_relay_url, which keeps the scheme and refuses what
// is not a ws:// or wss:// URL): an AUTH event proves which URL a client
// dialled, a vanish request only has to point at this relay.
#include <string>
#include <string_view>

namespace marina::store::detail {

// "WSS://Foo.Relay.Example:443/" -> "foo.relay.example": lower case, the
// ws/wss scheme, its default port and trailing slashes dropped, so every
// spelling of one relay's address has the same key.
std::string relay_url_key(std::string_view url);

}  // namespace marina::store::detail
