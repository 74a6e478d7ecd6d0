#include "subdomain.hpp"

#include "marina/http/error.hpp"

namespace marina::tenants {

std::string normalize_subdomain(std::string_view input, const std::set<std::string>& reserved) {
  std::string s(input);
  // People type "MyRelay"; DNS is case-insensitive, so store one spelling.
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (s.empty()) throw http::Error(400, "subdomain-invalid", "Invalid subdomain", "The subdomain is empty.");
  if (s.size() > 63)
    throw http::Error(400, "subdomain-too-long", "Subdomain too long", "A subdomain has at most 63 characters.");
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      throw http::Error(400, "subdomain-invalid", "Invalid subdomain",
                        "Only letters a-z, digits 0-9 and '-' are allowed.");
  }
  if (s.front() == '-' || s.back() == '-')
    throw http::Error(400, "subdomain-invalid", "Invalid subdomain", "A subdomain cannot start or end with '-'.");
  if (reserved.contains(s))
    throw http::Error(409, "subdomain-reserved", "Subdomain reserved", "'" + s + "' is reserved by the platform.");
  return s;
}

}  // namespace marina::tenants
