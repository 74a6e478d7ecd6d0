#pragma once
// Which hosted relay a Host header names: relays live at
// `<subdomain>.<RELAY_DOMAIN>`, case-insensitive, port ignored.
#include <optional>
#include <string>
#include <string_view>

namespace marina::relay {

// The subdomain of `host` (a Host header value, "name[:port]") directly
// under `relay_domain`, lower-cased ("Foo.relay.example:443" with domain
// "relay.example" -> "foo"); nullopt when the host is not one DNS label
// directly under the domain (an IPv6 literal never is).
std::optional<std::string> subdomain_of(std::string_view host, std::string_view relay_domain);

}  // namespace marina::relay
