#include <string>

#include "marina/store/relay_directory.hpp"

namespace marina::store {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// What migrations/0002 accepts as a subdomain: one DNS label of letters,
// digits and inner hyphens, at most 63 characters (already lower case).
bool is_label(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

}  // namespace

std::optional<std::string> subdomain_of(std::string_view host, std::string_view relay_domain) {
  // Host header: "name[:port]". An IPv6 literal ("[::1]:443") is never under
  // a domain; its colons must not be taken for a port.
  if (host.empty() || host.front() == '[') return std::nullopt;
  if (const auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  // A fully qualified name may end with the root's dot.
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (!relay_domain.empty() && relay_domain.back() == '.') relay_domain.remove_suffix(1);
  if (relay_domain.empty()) return std::nullopt;

  const std::string h = lowered(host);
  const std::string d = lowered(relay_domain);
  if (h.size() <= d.size() + 1 || h.compare(h.size() - d.size(), d.size(), d) != 0 || h[h.size() - d.size() - 1] != '.')
    return std::nullopt;
  std::string label = h.substr(0, h.size() - d.size() - 1);
  if (!is_label(label)) return std::nullopt;  // also refuses "a.b" (not directly under the domain)
  return label;
}

}  // namespace marina::store
