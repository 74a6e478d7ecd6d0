#pragma once
// Which ephemeral events are admin commands for the relay itself (seed 004's
// "Admin API"): kind 23456 with a `p` tag naming the relay's own key. Those
// are not broadcast: relay-ingest answers OK and hands them to tenants on
// marina:admin, which alone holds the relay's secret key. A 23456 addressed to
// anyone else is an ordinary ephemeral event.
#include <string_view>

#include "marina/nostr/event.hpp"

namespace marina::relay_ingest {

inline constexpr nostr::Kind kAdminCommandKind = 23456;

bool is_admin_command(const nostr::Event& event, std::string_view relay_pubkey_hex);

}  // namespace marina::relay_ingest
