#pragma once
// Whether a hosted relay serves its clients, and the words a client reads
// when it does not. relay-query (connections, the quick check of a client's
// EVENT) and relay-ingest (policy, the authority) both decide by these, so a
// client reads the same words from either:
//   active     reads and writes
//   suspended  reads only; an EVENT gets "blocked: <status_reason>"
//              ("blocked: this relay is suspended" without one)
//   inactive   nothing: no new connection (404), open ones are closed with
//              kNotActive, an EVENT gets "blocked: <status_reason>"
//              ("blocked: this relay is not active" without one)
//   gone       (no such relay id) an EVENT gets "blocked: no such relay"
// A relay whose owner (tenant) is suspended takes no EVENT either, whatever
// its own status short of inactive: "blocked: <the tenant's status_reason>"
// ("blocked: the owner of this relay is suspended" without one).
#include <optional>
#include <string>
#include <string_view>

#include "marina/store/relay.hpp"

namespace marina::store {

// Active or suspended: the relay takes connections and answers reads.
bool serves_clients(const Relay& relay) noexcept;

// Why an inactive relay serves no one, when it gives no status_reason; also
// the close reason of the connections it had.
inline constexpr std::string_view kNotActive = "this relay is not active";

// The OK message of an EVENT to a relay that takes none: suspended,
// inactive, or nullptr (no relay has that id, or no longer); nullopt for an
// active relay.
std::optional<std::string> event_refusal(const Relay* relay);

// Which of those answers event_refusal gives, as a metrics label:
// "no_such_relay", "tenant_suspended", "relay_suspended", "relay_inactive";
// "" for an active relay.
std::string_view event_refusal_reason(const Relay* relay) noexcept;

}  // namespace marina::store
