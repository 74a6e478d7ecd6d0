#pragma once
// Direct-message privacy on stored results (libs/relay private_events.hpp
// has the rule): a filter without `kinds` cannot be narrowed in the database,
// so what it brings back is checked here, one event at a time. Only private
// kinds are parsed; every other event costs a short scan for its kind.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"

namespace marina::relay_query {

// The `kind` of an event's raw JSON as stored (an event our parser accepted,
// whose only object is the event itself), found without parsing the whole
// event; nullopt when absent or malformed.
std::optional<nostr::Kind> raw_event_kind(std::string_view raw) noexcept;

// Removes from `stored` the private events `readers` (sorted) may not read;
// returns how many were removed.
std::size_t drop_unreadable(std::vector<std::string>& stored, std::span<const nostr::PublicKey> readers);

}  // namespace marina::relay_query
