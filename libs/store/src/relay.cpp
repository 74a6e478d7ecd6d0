#include "marina/store/relay.hpp"

namespace marina::store {

std::string_view to_string(RelayStatus s) noexcept {
  switch (s) {
    case RelayStatus::active: return "active";
    case RelayStatus::inactive: return "inactive";
    case RelayStatus::suspended: return "suspended";
  }
  return "active";
}

std::optional<RelayStatus> parse_relay_status(std::string_view s) noexcept {
  if (s == "active") return RelayStatus::active;
  if (s == "inactive") return RelayStatus::inactive;
  if (s == "suspended") return RelayStatus::suspended;
  return std::nullopt;
}

}  // namespace marina::store
