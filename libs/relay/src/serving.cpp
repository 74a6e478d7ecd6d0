#include "marina/relay/serving.hpp"

#include "marina/nostr/relay_message.hpp"

namespace marina::relay {

namespace {

constexpr std::string_view kSuspended = "this relay is suspended";

// The owner's or the operator's reason when there is one, else the status's own words.
std::string blocked(const store::Relay& relay, std::string_view otherwise) {
  return nostr::prefixed(nostr::Prefix::blocked, relay.status_reason.empty() ? otherwise : relay.status_reason);
}

}  // namespace

bool serves_clients(const store::Relay& relay) noexcept { return relay.status != store::RelayStatus::inactive; }

std::optional<std::string> event_refusal(const store::Relay* relay) {
  if (!relay) return nostr::prefixed(nostr::Prefix::blocked, "no such relay");
  switch (relay->status) {
    case store::RelayStatus::active:
      return std::nullopt;
    case store::RelayStatus::suspended:
      return blocked(*relay, kSuspended);
    case store::RelayStatus::inactive:
      break;
  }
  return blocked(*relay, kNotActive);
}

}  // namespace marina::relay
