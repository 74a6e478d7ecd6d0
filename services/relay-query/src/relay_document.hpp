#pragma once
// The NIP-11 relay information document of one hosted relay.
#include <string>
#include <vector>

#include "marina/relay/settings.hpp"
#include "marina/store/relay.hpp"

namespace marina::relay_query {

// The NIPs a client gets end to end from a hosted relay (relay-query with
// relay-ingest and the store): NIP-01, 09 deletion, 11, 40 expiration, 45
// COUNT, 50 search, 62 request to vanish. NIP-42 and NIP-70 join when they
// are implemented.
const std::vector<int>& supported_nips();

inline constexpr const char* kSoftwareUrl = "https://marina.dev";
const char* software_version();

// The JSON document (application/nostr+json). Limits are what relay-query and
// relay-ingest enforce, read from the same settings.
std::string relay_document(const store::Relay& relay, const relay::RelaySettings& settings);

// The longest subscription id accepted: the configured bound, never more than
// NIP-01's 64 characters.
std::size_t effective_max_subid_length(const relay::RelayLimits& limits) noexcept;

}  // namespace marina::relay_query
