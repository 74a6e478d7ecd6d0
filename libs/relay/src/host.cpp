#include "marina/relay/host.hpp"

#include "marina/core/ascii.hpp"
#include "marina/core/dns_label.hpp"

namespace marina::relay {

std::optional<std::string> subdomain_of(std::string_view host, std::string_view relay_domain) {
  // Host header: "name[:port]". An IPv6 literal ("[::1]:443") is never under
  // a domain; its colons must not be taken for a port.
  if (host.empty() || host.front() == '[') return std::nullopt;
  if (const auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  // A fully qualified name may end with the root's dot.
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (!relay_domain.empty() && relay_domain.back() == '.') relay_domain.remove_suffix(1);
  if (relay_domain.empty()) return std::nullopt;

  const std::string h = core::ascii_lower(host);
  const std::string d = core::ascii_lower(relay_domain);
  if (h.size() <= d.size() + 1 || h.compare(h.size() - d.size(), d.size(), d) != 0 || h[h.size() - d.size() - 1] != '.')
    return std::nullopt;
  std::string label = h.substr(0, h.size() - d.size() - 1);
  if (!core::is_dns_label(label)) return std::nullopt;  // also refuses "a.b" (not directly under the domain)
  return label;
}

}  // namespace marina::relay
