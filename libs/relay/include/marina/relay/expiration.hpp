#pragma once
// NIP-40 on reads, as a relay's configuration says (seed 004 "Event
// Expiration"). The seed gives the four keys one line each; our reading:
//   nip40_expiration_enabled  false: the expiration tag means nothing on this
//                             relay; its events are served whatever the tag
//                             says, and never purged.
//   nip40_expiration_filter   true ("Filter expired from results"): an event is
//                             not served (REQ, COUNT, live) from its expiration
//                             time on, as NIP-40 asks, and relay-ingest's purger
//                             deletes it. false: an expired event that is still
//                             stored is served.
//   nip40_expiration_grace_period  ("Grace period (seconds)") with the filter
//                             off, how long an expired event stays stored and
//                             served: it is hidden, and purged, once expired by
//                             the grace period (whether or not the purger has
//                             run yet). With the filter on it changes nothing
//                             on reads: hiding an event NIP-40 calls expired
//                             needs no grace.
//   nip40_expiration_strict   arrival (relay-ingest's policy), not reads.
// With the default configuration (enabled, filter on) reads hide an event from
// its expiration time on and the purger deletes it, as before the keys existed.
#include <cstdint>
#include <optional>

#include "marina/relay/relay_config.hpp"

namespace marina::relay {

// Stored events whose expiration is at or before the result are not served at
// `now` (unix seconds); nullopt: expiration hides nothing.
std::optional<std::int64_t> hidden_expired_up_to(const RelayConfig& config, std::int64_t now) noexcept;

// Whether an event with `expiration` (nip40::expiration) is not served at `now`.
bool hidden_as_expired(const RelayConfig& config, std::optional<std::int64_t> expiration, std::int64_t now) noexcept;

}  // namespace marina::relay
