#pragma once
// The NIP-11 relay information document of one hosted relay, from its
// configuration in force (changes show at the next request: the directory
// holds the relay as last re-read, nothing else is cached).
#include <string>
#include <vector>

#include "marina/relay/relay_config.hpp"
#include "marina/relay/settings.hpp"
#include "marina/store/relay.hpp"

namespace marina::relay_query {

// The NIPs a hosted relay can do end to end (relay-query with relay-ingest
// and the store): NIP-01, 09 deletion, 11, 13 proof of work, 40 expiration,
// 42 authentication, 45 COUNT, 50 search, 62 request to vanish, 70
// protected events.
const std::vector<int>& implemented_nips();

// What the document lists: the relay's supported_nips that it really does
// with this configuration: among implemented_nips(), without 40 while
// nip40_expiration_enabled is false and without 13 while pow_mode is disabled.
std::vector<int> supported_nips(const relay::RelayConfig& config);

// The JSON document (application/nostr+json). `relay.config` must not be null
// (a relay from the directory never has it null). Limits are what relay-query
// and relay-ingest enforce: the relay's configured bounds under the
// platform's (`settings.limits`).
std::string relay_document(const store::Relay& relay, const relay::RelaySettings& settings);

// The longest subscription id accepted: the configured bound, never more than
// NIP-01's 64 characters.
std::size_t effective_max_subid_length(const relay::RelayLimits& limits) noexcept;

}  // namespace marina::relay_query
