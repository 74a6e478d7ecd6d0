#include "relay_document.hpp"

#include <nlohmann/json.hpp>

#include "marina/nostr/client_message.hpp"
#include "marina/nostr/nip19.hpp"

#ifndef MARINA_VERSION
#define MARINA_VERSION "0.0.0"
#endif

namespace marina::relay_query {

const std::vector<int>& supported_nips() {
  static const std::vector<int> nips{1, 9, 11, 40, 45, 50, 62};
  return nips;
}

const char* software_version() { return MARINA_VERSION; }

std::size_t effective_max_subid_length(const relay::RelayLimits& limits) noexcept {
  return std::min(limits.max_subid_length, nostr::kMaxSubscriptionIdChars);
}

namespace {

// The owner as a nostr: URI (NIP-21), which NIP-11's `contact` prefers; the
// bare hex if it is somehow not a key.
std::string contact_of(const store::Relay& relay) {
  if (auto key = nostr::PublicKey::from_hex(relay.tenant_pubkey)) return "nostr:" + nostr::nip19::encode_npub(*key);
  return relay.tenant_pubkey;
}

}  // namespace

std::string relay_document(const store::Relay& relay, const relay::RelaySettings& settings) {
  const relay::RelayLimits& l = settings.limits;
  nlohmann::json limitation = {
      {"max_message_length", l.max_message_bytes},
      {"max_subscriptions", l.max_subscriptions},
      {"max_filters", l.max_filters},
      {"max_limit", l.max_limit},
      {"default_limit", l.default_limit},
      {"max_subid_length", effective_max_subid_length(l)},
      {"max_event_tags", l.max_event_tags},
      {"max_content_length", l.max_content_length},
      {"created_at_lower_limit", l.created_at_lower_seconds},
      {"created_at_upper_limit", l.created_at_upper_seconds},
      {"min_pow_difficulty", 0},
      {"auth_required", false},
      {"payment_required", false},
      // A suspended relay refuses every write until it is paid for again.
      {"restricted_writes", relay.status == store::RelayStatus::suspended},
  };
  nlohmann::json doc = {
      {"name", relay.name.empty() ? relay.subdomain : relay.name},
      {"description", relay.description},
      {"pubkey", relay.relay_pubkey},
      {"self", relay.relay_pubkey},
      {"contact", contact_of(relay)},
      {"supported_nips", supported_nips()},
      {"software", kSoftwareUrl},
      {"version", software_version()},
      {"limitation", std::move(limitation)},
  };
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace marina::relay_query
