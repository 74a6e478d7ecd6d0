#include "marina/relay/event_policy.hpp"

#include <algorithm>

#include "marina/nostr/nip13.hpp"
#include "marina/nostr/nip40.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/event_limits.hpp"

namespace marina::relay {

namespace {

using nostr::Prefix;
using nostr::prefixed;

EventRefusal refusal(std::string_view reason, Prefix prefix, std::string_view text) {
  return EventRefusal{reason, prefixed(prefix, text)};
}

bool is_admin(std::string_view pubkey_hex, std::string_view owner_hex, const RelayConfig& config) {
  if (!owner_hex.empty() && pubkey_hex == owner_hex) return true;
  return std::find(config.admin_pubkeys.begin(), config.admin_pubkeys.end(), pubkey_hex) != config.admin_pubkeys.end();
}

bool has_nonce_tag(const nostr::Event& event) {
  return std::any_of(event.tags.begin(), event.tags.end(),
                     [](const nostr::Tag& t) { return !t.empty() && t[0] == "nonce"; });
}

}  // namespace

const RelayConfig& config_of(const RelayConfigPtr& config) {
  if (config) return *config;
  static const RelayConfig defaults = RelayConfig::build({}, RelayIdentity{}, nullptr);
  return defaults;
}

const AuthRules& rules_of(const AuthRulesPtr& rules) {
  if (rules) return *rules;
  static const AuthRules none;
  return none;
}

std::optional<EventRefusal> auth_rules_refusal(const Publisher& who, const RelayConfig& config,
                                               const AuthRules& rules) {
  if (!config.auth_enabled || rules.empty()) return std::nullopt;
  if (is_admin(who.pubkey_hex, who.owner_hex, config)) return std::nullopt;
  if (rules.pubkey_blacklisted(who.pubkey_hex))
    return refusal("pubkey_blacklisted", Prefix::blocked, "this pubkey is blacklisted on this relay");
  if (rules.has_pubkey_whitelist() && !rules.pubkey_whitelisted(who.pubkey_hex))
    return refusal("pubkey_not_whitelisted", Prefix::blocked, "this pubkey is not whitelisted on this relay");
  const std::string kind = std::to_string(who.kind);
  if (rules.kind_blacklisted(who.kind))
    return refusal("kind_blacklisted", Prefix::blocked, "kind " + kind + " is blacklisted on this relay");
  if (rules.has_kind_whitelist() && !rules.kind_whitelisted(who.kind))
    return refusal("kind_not_whitelisted", Prefix::blocked, "kind " + kind + " is not whitelisted on this relay");
  return std::nullopt;
}

std::optional<EventRefusal> pow_refusal(const nostr::Event& event, const RelayConfig& config) {
  const std::int64_t minimum = config.pow_min_difficulty;
  if (config.pow_mode == PowMode::disabled || minimum <= 0) return std::nullopt;
  if (config.pow_mode == PowMode::optional && !has_nonce_tag(event)) return std::nullopt;
  const std::string least = std::to_string(minimum);
  // NIP-13: a committed target below what the relay asks is refused even when
  // the id happens to have enough bits (a spammer aiming low got lucky).
  if (const auto target = nostr::nip13::committed_target(event); target && *target < minimum)
    return refusal("pow_target", Prefix::pow,
                   "committed target " + std::to_string(*target) + " is less than " + least);
  if (const int bits = nostr::nip13::difficulty(event.id); bits < minimum)
    return refusal("pow_difficulty", Prefix::pow, "difficulty " + std::to_string(bits) + " is less than " + least);
  return std::nullopt;
}

std::optional<EventRefusal> event_bounds_refusal(const nostr::Event& event, const RelayConfig& config,
                                                 const RelayLimits& limits) {
  // Configured values are validated positive (config_keys.hpp ranges).
  const auto bound = [](std::int64_t configured, std::size_t platform) {
    return std::min(static_cast<std::size_t>(configured), platform);
  };
  if (auto why = tag_count_refusal(event.tags.size(), bound(config.max_event_tags, limits.max_event_tags)))
    return EventRefusal{"too_many_tags", std::move(*why)};
  if (auto why =
          content_length_refusal(event.content.size(), bound(config.max_content_length, limits.max_content_length)))
    return EventRefusal{"content_too_long", std::move(*why)};
  return std::nullopt;
}

std::optional<EventRefusal> expiration_refusal(const nostr::Event& event, std::int64_t now,
                                               const RelayConfig& config) {
  if (!config.nip40_expiration_enabled || !config.nip40_expiration_strict) return std::nullopt;
  const auto expires = nostr::nip40::expiration(event);
  // With no grace this is nip40::is_expired: expired at the expiration second.
  if (!expires || *expires > now - config.nip40_expiration_grace_period) return std::nullopt;
  return refusal("expired", Prefix::invalid, "event has expired");
}

std::optional<EventRefusal> event_policy_refusal(const nostr::Event& event, std::string_view owner_hex,
                                                 const RelayConfig& config, const AuthRules& rules,
                                                 const RelayLimits& limits, std::int64_t now) {
  if (config.auth_enabled && !rules.empty()) {
    // The hex form is only made when there are rules to look it up in.
    const std::string author = event.pubkey_hex();
    if (auto why = auth_rules_refusal(Publisher{author, event.kind, owner_hex}, config, rules)) return why;
  }
  if (auto why = event_bounds_refusal(event, config, limits)) return why;
  if (auto why = expiration_refusal(event, now, config)) return why;
  return pow_refusal(event, config);
}

}  // namespace marina::relay
