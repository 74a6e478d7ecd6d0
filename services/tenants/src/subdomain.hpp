#pragma once
// The rules for a relay's subdomain (one DNS label, core/dns_label.hpp), each
// broken rule with its own problem code so clients can tell the person what
// to change:
//   400 subdomain-invalid   empty, a character outside a-z 0-9 -, or a
//                           leading/trailing hyphen
//   400 subdomain-too-long  more than 63 characters (one DNS label)
//   409 subdomain-reserved  api, admin, www or RESERVED_SUBDOMAINS
// Uniqueness (409 subdomain-taken) is decided by the database's unique
// constraint at insert time, the only place where concurrent creators meet.
#include <set>
#include <string>
#include <string_view>

namespace marina::tenants {

// The subdomain as stored (lower case), or throws http::Error.
std::string normalize_subdomain(std::string_view input, const std::set<std::string>& reserved);

}  // namespace marina::tenants
