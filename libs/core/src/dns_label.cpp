#include "marina/core/dns_label.hpp"

namespace marina::core {

namespace {

constexpr std::size_t kMaxLabelLength = 63;  // RFC 1035 2.3.4

bool is_label_character(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

std::optional<DnsLabelFault> dns_label_fault(std::string_view label) noexcept {
  if (label.empty()) return DnsLabelFault::empty;
  if (label.size() > kMaxLabelLength) return DnsLabelFault::too_long;
  for (char c : label)
    if (!is_label_character(c)) return DnsLabelFault::bad_character;
  if (label.front() == '-' || label.back() == '-') return DnsLabelFault::edge_hyphen;
  return std::nullopt;
}

}  // namespace marina::core
