#pragma once
// Comparing relay URLs the way people write them (NIP-62 `relay` tags).
#include <string>
#include <string_view>

namespace marina::store::detail {

// "WSS://Foo.Relay.Example:443/" -> "foo.relay.example": lower case, the
// ws/wss scheme, its default port and trailing slashes dropped, so every
// spelling of one relay's address compares equal.
std::string normalize_relay_url(std::string_view url);

}  // namespace marina::store::detail
