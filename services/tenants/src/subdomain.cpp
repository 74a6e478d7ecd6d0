#include "subdomain.hpp"

#include "marina/core/ascii.hpp"
#include "marina/core/dns_label.hpp"
#include "marina/http/error.hpp"

namespace marina::tenants {

namespace {

// The problem for each way a name is not one DNS label (core::dns_label_fault).
http::Error label_problem(core::DnsLabelFault fault) {
  switch (fault) {
    case core::DnsLabelFault::empty:
      return http::Error(400, "subdomain-invalid", "Invalid subdomain", "The subdomain is empty.");
    case core::DnsLabelFault::too_long:
      return http::Error(400, "subdomain-too-long", "Subdomain too long", "A subdomain has at most 63 characters.");
    case core::DnsLabelFault::bad_character:
      return http::Error(400, "subdomain-invalid", "Invalid subdomain",
                         "Only letters a-z, digits 0-9 and '-' are allowed.");
    case core::DnsLabelFault::edge_hyphen:
      break;
  }
  return http::Error(400, "subdomain-invalid", "Invalid subdomain", "A subdomain cannot start or end with '-'.");
}

}  // namespace

std::string normalize_subdomain(std::string_view input, const std::set<std::string>& reserved) {
  // People type "MyRelay"; DNS is case-insensitive, so store one spelling.
  std::string s = core::ascii_lower(input);
  if (const auto fault = core::dns_label_fault(s)) throw label_problem(*fault);
  if (reserved.contains(s))
    throw http::Error(409, "subdomain-reserved", "Subdomain reserved", "'" + s + "' is reserved by the platform.");
  return s;
}

}  // namespace marina::tenants
