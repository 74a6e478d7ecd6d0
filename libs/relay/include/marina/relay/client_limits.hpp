#pragma once
// A hosted relay's bounds on its client connections (issue #10): each is the
// relay's configured value (RelayConfig, changed live by its owner) and, where
// the platform has one, never above the platform's outer bound (RelayLimits,
// from the environment). relay-query enforces them and its NIP-11 document
// shows them, both through these functions, so what a client is told is what
// is enforced. The words a client reads when a bound is reached are here too,
// one wording per bound.
//
// max_connections and max_total_subscriptions count on one relay-query
// replica: each replica enforces them over its own connections.
#include <cstddef>
#include <string>
#include <string_view>

#include "marina/relay/auth_rules.hpp"
#include "marina/relay/relay_config.hpp"
#include "marina/relay/settings.hpp"

namespace marina::relay {

// Open subscriptions one connection may hold: max_subscriptions_per_client,
// at most RELAY_MAX_SUBSCRIPTIONS.
std::size_t subscriptions_per_client(const RelayConfig& config, const RelayLimits& platform) noexcept;
// Open subscriptions of all the relay's connections on one replica.
std::size_t total_subscriptions(const RelayConfig& config) noexcept;
// Bytes of one client message: max_message_length, at most RELAY_MAX_MESSAGE_BYTES.
std::size_t message_length(const RelayConfig& config, const RelayLimits& platform) noexcept;
// Connections to the relay on one replica.
std::size_t connections(const RelayConfig& config) noexcept;

// CLOSED when a connection holds subscriptions_per_client already:
// "error: too many subscriptions (at most N per connection)".
std::string subscriptions_per_client_refusal(std::size_t max);
// CLOSED when the relay holds total_subscriptions on this replica:
// "error: too many subscriptions on this relay (at most N at once); try again later".
std::string total_subscriptions_refusal(std::size_t max);
// NOTICE for a message over message_length: "invalid: message larger than N bytes".
std::string message_length_notice(std::size_t max);

// Whether a client address may connect, by the relay's ip rules. The rules
// apply only while auth_enabled is true (seed 004: "Enable whitelist/blacklist
// authentication"); a blacklisted address is refused, and so is every address
// outside the ip whitelist when the relay has one.
enum class IpAdmission { admitted, blacklisted, not_whitelisted };
IpAdmission ip_admission(const RelayConfig& config, const AuthRules* rules, std::string_view client_ip);

// The refusal of an address at the WebSocket upgrade (HTTP 403 problem
// `ip-blocked`) and the close reason of its open connections when a rule
// added later refuses it: "blocked: ...".
inline constexpr std::string_view kIpBlockedCode = "ip-blocked";
std::string ip_refusal(IpAdmission admission);

// The refusal of a new connection to a relay that has max_connections open
// on this replica (HTTP 503 problem `relay-full`).
inline constexpr std::string_view kRelayFullCode = "relay-full";
std::string relay_full_detail(std::size_t max);

}  // namespace marina::relay
