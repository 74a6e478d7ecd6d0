#include "relay_document.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "marina/nostr/client_message.hpp"
#include "marina/nostr/nip19.hpp"
#include "marina/relay/client_limits.hpp"

namespace marina::relay_query {

const std::vector<int>& implemented_nips() {
  static const std::vector<int> nips{1, 9, 11, 13, 40, 42, 45, 50, 62, 70};
  return nips;
}

std::vector<int> supported_nips(const relay::RelayConfig& config) {
  std::vector<int> out;
  for (int nip : config.supported_nips) {
    if (!std::binary_search(implemented_nips().begin(), implemented_nips().end(), nip)) continue;
    if (nip == 40 && !config.nip40_expiration_enabled) continue;
    if (nip == 13 && config.pow_mode == relay::PowMode::disabled) continue;
    out.push_back(nip);
  }
  return out;
}

std::size_t effective_max_subid_length(const relay::RelayLimits& limits) noexcept {
  return std::min(limits.max_subid_length, nostr::kMaxSubscriptionIdChars);
}

namespace {

// The owner as a nostr: URI (NIP-21), which NIP-11's `contact` prefers; the
// bare hex if it is somehow not a key.
std::string owner_uri(const store::Relay& relay) {
  if (auto key = nostr::PublicKey::from_hex(relay.tenant_pubkey)) return "nostr:" + nostr::nip19::encode_npub(*key);
  return relay.tenant_pubkey;
}

// Writes need more than a valid event: an allow-list, AUTH, proof of work,
// or a suspension (the relay's or its owner's).
bool restricts_writes(const store::Relay& relay, const relay::RelayConfig& c) {
  if (relay.status == store::RelayStatus::suspended || relay.tenant_suspended) return true;
  if (c.nip42_auth_required) return true;
  if (c.pow_mode == relay::PowMode::required && c.pow_min_difficulty > 0) return true;
  return c.auth_enabled && relay.rules && (relay.rules->has_pubkey_whitelist() || relay.rules->has_kind_whitelist());
}

template <typename T>
T at_most(std::int64_t configured, T platform) {
  return std::min(static_cast<T>(std::max<std::int64_t>(configured, 0)), platform);
}

}  // namespace

std::string relay_document(const store::Relay& relay, const relay::RelaySettings& settings) {
  const relay::RelayLimits& l = settings.limits;
  const relay::RelayConfig& c = *relay.config;
  nlohmann::json limitation = {
      {"max_message_length", relay::message_length(c, l)},
      {"max_subscriptions", relay::subscriptions_per_client(c, l)},
      {"max_filters", l.max_filters},
      {"max_limit", l.max_limit},
      {"default_limit", l.default_limit},
      {"max_subid_length", effective_max_subid_length(l)},
      {"max_event_tags", at_most(c.max_event_tags, l.max_event_tags)},
      {"max_content_length", at_most(c.max_content_length, l.max_content_length)},
      {"created_at_lower_limit", l.created_at_lower_seconds},
      {"created_at_upper_limit", l.created_at_upper_seconds},
      // Only required proof of work is a minimum every event must meet.
      {"min_pow_difficulty", c.pow_mode == relay::PowMode::required ? c.pow_min_difficulty : 0},
      {"auth_required", c.nip42_auth_required},
      {"payment_required", false},
      {"restricted_writes", restricts_writes(relay, c)},
  };
  nlohmann::json doc = {
      {"name", c.relay_name},
      {"description", c.relay_description},
      {"pubkey", relay.tenant_pubkey},
      {"self", relay.relay_pubkey},
      {"contact", c.relay_contact.empty() ? owner_uri(relay) : c.relay_contact},
      {"supported_nips", supported_nips(c)},
      {"software", c.relay_software},
      {"version", c.relay_version},
      {"language_tags", c.language_tags},
      {"relay_countries", c.relay_countries},
      {"limitation", std::move(limitation)},
  };
  // Optional URLs are left out rather than sent empty.
  if (!c.relay_icon.empty()) doc["icon"] = c.relay_icon;
  if (!c.posting_policy.empty()) doc["posting_policy"] = c.posting_policy;
  if (!c.payments_url.empty()) doc["payments_url"] = c.payments_url;
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace marina::relay_query
