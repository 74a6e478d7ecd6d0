#pragma once
// The cheap checks relay-query makes on a client EVENT before handing it to
// relay-ingest (which checks them again with the signature and policy, and is
// the authority): an event that fails here gets its OK false at once, without
// a round trip. The relay's own policy comes from libs/relay
// event_policy.hpp, read through the relay's current configuration, so the
// words are relay-ingest's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"
#include "marina/relay/event_policy.hpp"
#include "marina/relay/settings.hpp"
#include "marina/store/relay.hpp"

namespace marina::relay_query {

// nullopt when the event may go on; otherwise the refusal (the OK message and
// its metrics reason): the created_at window of the platform's `limits`, then
// `relay`'s event policy (auth rules, bounds, NIP-40 on arrival, NIP-13).
std::optional<relay::EventRefusal> precheck_event(const nostr::Event& event, const store::Relay& relay,
                                                  const relay::RelayLimits& limits, std::int64_t now_seconds);

// The `id` of an event's raw JSON as stored (valid JSON written by our own
// store), found without parsing the whole event; nullopt when absent.
std::optional<nostr::EventId> raw_event_id(std::string_view raw) noexcept;

// Unicode code points in valid UTF-8 (how NIP-01 counts subscription id length).
std::size_t code_points(std::string_view text) noexcept;

}  // namespace marina::relay_query
