#pragma once
// A hosted relay as the relay services see it: a row of `relays`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marina::store {

enum class RelayStatus { active, inactive, suspended };
std::string_view to_string(RelayStatus s) noexcept;
std::optional<RelayStatus> parse_relay_status(std::string_view s) noexcept;

struct Relay {
  std::string id;             // uuid, relays.id
  std::string subdomain;      // lower case, unique
  std::string tenant_pubkey;  // hex; the owner, who is also the relay's admin
  std::string name;
  std::string description;
  std::string plan;
  RelayStatus status = RelayStatus::active;
  std::string status_reason;  // why suspended/inactive, shown to clients in "blocked: ..."
  std::string relay_pubkey;   // hex; the relay's own key (NIP-11 `pubkey`)
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t updated_at = 0;
};

}  // namespace marina::store
