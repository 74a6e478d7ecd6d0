#pragma once
// One DNS label as Marina spells a relay's subdomain: 1 to 63 characters of
// a-z, 0-9 and '-', not starting or ending with '-'. Lower case only: names
// are lower-cased before they are checked (DNS is case-insensitive, and the
// relays table holds one spelling). migrations/0002's CHECK on
// relays.subdomain says the same; the tenants API refuses a name that breaks
// it, and the relay services look up no Host that breaks it.
#include <optional>
#include <string_view>

namespace marina::core {

// The first rule `label` breaks, checked in this order.
enum class DnsLabelFault {
  empty,
  too_long,       // more than 63 characters
  bad_character,  // outside a-z 0-9 '-'
  edge_hyphen,    // starts or ends with '-'
};

// Why `label` is not one lower-case DNS label; nullopt when it is one.
std::optional<DnsLabelFault> dns_label_fault(std::string_view label) noexcept;

inline bool is_dns_label(std::string_view label) noexcept { return !dns_label_fault(label); }

}  // namespace marina::core
