#pragma once
// What one hosted relay accepts as an EVENT by its configuration and auth
// rules, and the words a client reads when it does not. relay-ingest's policy
// (the authority) and relay-query's quick check both call these, so a client
// reads the same words from either, and each refusal names its reason for the
// metrics (`reason`: a fixed label, never a relay or a pubkey).
//
//   auth rules (only while auth_enabled; the owner and admin_pubkeys are exempt)
//     pubkey blacklisted          blocked: this pubkey is blacklisted on this relay
//     any pubkey whitelist rule,  blocked: this pubkey is not whitelisted on this relay
//       pubkey not on it
//     kind blacklisted            blocked: kind 4 is blacklisted on this relay
//     any kind whitelist rule,    blocked: kind 4 is not whitelisted on this relay
//       kind not on it
//   NIP-13 (pow_mode, pow_min_difficulty)
//     committed target too low    pow: committed target 10 is less than 20
//     too few leading zero bits   pow: difficulty 12 is less than 20
//   event bounds (the relay's max_event_tags / max_content_length, never above
//   the platform's RelayLimits)
//     too many tags               invalid: too many tags (n, at most m)
//     content too long            invalid: content too long (n bytes, at most m)
//   NIP-40 on arrival (nip40_expiration_enabled and _strict)
//     expired beyond the grace    invalid: event has expired
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/event.hpp"
#include "marina/relay/auth_rules.hpp"
#include "marina/relay/relay_config.hpp"
#include "marina/relay/settings.hpp"

namespace marina::relay {

// The configuration a relay runs with: `config`, or every key at its default
// when it is null (a relay built by hand in a test; the directory never gives
// out one). The one place "no configuration" is turned into defaults.
const RelayConfig& config_of(const RelayConfigPtr& config);
// A relay's auth rules, or none when `rules` is null.
const AuthRules& rules_of(const AuthRulesPtr& rules);

struct EventRefusal {
  std::string_view reason;  // metrics label: "pubkey_blacklisted", "pow_difficulty", ...
  std::string message;      // the OK message, NIP-01 prefixed
};

// Who publishes to which relay: the event's author and kind, and the relay's owner.
struct Publisher {
  std::string_view pubkey_hex;  // the event's author
  int kind = 0;
  std::string_view owner_hex;   // the relay's owner (tenant pubkey)
};

// The auth rules on an EVENT (see the table above). The owner and the
// config's admin_pubkeys are always allowed: the relay's rules govern others,
// and an owner who whitelists someone must not lock themselves out.
std::optional<EventRefusal> auth_rules_refusal(const Publisher& who, const RelayConfig& config, const AuthRules& rules);

// NIP-13. disabled: nothing. required: the id has at least pow_min_difficulty
// leading zero bits, and a committed target (the nonce tag's third element)
// is not below it. optional: the same, but only for an event that has a
// `nonce` tag (it claims proof of work, so the claim must meet the minimum);
// an event without one is accepted. With pow_min_difficulty 0 nothing is refused.
std::optional<EventRefusal> pow_refusal(const nostr::Event& event, const RelayConfig& config);

// The relay's max_event_tags and max_content_length, each bounded by the
// platform's `limits` (the operator's ceiling for every relay).
std::optional<EventRefusal> event_bounds_refusal(const nostr::Event& event, const RelayConfig& config,
                                                 const RelayLimits& limits);

// NIP-40 on arrival at `now` (unix seconds). With nip40_expiration_enabled
// and nip40_expiration_strict, an event whose expiration is
// nip40_expiration_grace_period seconds or more in the past is refused (the
// grace absorbs clock skew between a client and the relay); otherwise the
// event is accepted whatever its expiration.
std::optional<EventRefusal> expiration_refusal(const nostr::Event& event, std::int64_t now, const RelayConfig& config);

// Every check above in the order both services apply them: auth rules,
// bounds, NIP-40, NIP-13 (the cheapest and most telling refusal first).
std::optional<EventRefusal> event_policy_refusal(const nostr::Event& event, std::string_view owner_hex,
                                                 const RelayConfig& config, const AuthRules& rules,
                                                 const RelayLimits& limits, std::int64_t now);

}  // namespace marina::relay
