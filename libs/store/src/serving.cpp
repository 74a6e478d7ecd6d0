#include "marina/store/serving.hpp"

#include "marina/nostr/relay_message.hpp"

namespace marina::store {

namespace {

constexpr std::string_view kSuspended = "this relay is suspended";
constexpr std::string_view kOwnerSuspended = "the owner of this relay is suspended";

// The owner's or the operator's reason when there is one, else the status's own words.
std::string blocked(const Relay& relay, std::string_view otherwise) {
  return nostr::prefixed(nostr::Prefix::blocked, relay.status_reason.empty() ? otherwise : relay.status_reason);
}

}  // namespace

bool serves_clients(const Relay& relay) noexcept { return relay.status != RelayStatus::inactive; }

std::optional<std::string> event_refusal(const Relay* relay) {
  if (!relay) return nostr::prefixed(nostr::Prefix::blocked, "no such relay");
  if (relay->tenant_suspended && relay->status != RelayStatus::inactive) {
    return nostr::prefixed(nostr::Prefix::blocked,
                           relay->tenant_status_reason.empty() ? kOwnerSuspended : relay->tenant_status_reason);
  }
  switch (relay->status) {
    case RelayStatus::active:
      return std::nullopt;
    case RelayStatus::suspended:
      return blocked(*relay, kSuspended);
    case RelayStatus::inactive:
      break;
  }
  return blocked(*relay, kNotActive);
}

std::string_view event_refusal_reason(const Relay* relay) noexcept {
  if (!relay) return "no_such_relay";
  if (relay->tenant_suspended && relay->status != RelayStatus::inactive) return "tenant_suspended";
  switch (relay->status) {
    case RelayStatus::active:
      return "";
    case RelayStatus::suspended:
      return "relay_suspended";
    case RelayStatus::inactive:
      break;
  }
  return "relay_inactive";
}

}  // namespace marina::store
