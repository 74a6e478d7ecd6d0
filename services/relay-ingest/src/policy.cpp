#include "policy.hpp"

#include <algorithm>

#include "marina/core/clock.hpp"
#include "marina/nostr/nip40.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/auth_words.hpp"
#include "marina/relay/event_limits.hpp"
#include "marina/store/serving.hpp"

namespace marina::relay_ingest {

using nostr::Prefix;
using nostr::prefixed;

namespace {

class RelayStatusRule final : public Rule {
 public:
  std::optional<std::string> check(const PolicyInput& in) const override { return store::event_refusal(&in.relay); }
};

class EventLimitsRule final : public Rule {
 public:
  explicit EventLimitsRule(const relay::RelayLimits& limits) : limits_(limits) {}
  std::optional<std::string> check(const PolicyInput& in) const override {
    if (auto why = relay::tag_count_refusal(in.event.tags.size(), limits_)) return why;
    if (auto why = relay::content_length_refusal(in.event.content.size(), limits_)) return why;
    // An owner restoring the relay's archive brings events of any age; the
    // future bound still holds (nothing may claim to be from tomorrow).
    return relay::created_at_refusal(in.event.created_at, in.now, limits_, !in.request.imported);
  }

 private:
  relay::RelayLimits limits_;
};

// NIP-40: an event that has already expired is not worth storing or sending.
class ExpiredRule final : public Rule {
 public:
  std::optional<std::string> check(const PolicyInput& in) const override {
    if (!nostr::nip40::is_expired(in.event, in.now)) return std::nullopt;
    return prefixed(Prefix::invalid, "event has expired");
  }
};

// NIP-70: an event tagged ["-"] may only be published by its author, proven
// by NIP-42 AUTH on the connection it came from.
class ProtectedEventRule final : public Rule {
 public:
  std::optional<std::string> check(const PolicyInput& in) const override {
    const bool is_protected = std::any_of(in.event.tags.begin(), in.event.tags.end(),
                                          [](const nostr::Tag& t) { return t.size() == 1 && t[0] == "-"; });
    if (!is_protected) return std::nullopt;
    const std::string author = in.event.pubkey_hex();
    const auto& authed = in.request.auth_pubkeys;
    if (std::find(authed.begin(), authed.end(), author) != authed.end()) return std::nullopt;
    return relay::protected_event_refusal(!authed.empty());
  }
};

}  // namespace

Policy Policy::platform(const relay::RelayLimits& limits) {
  Policy p;
  p.add(std::make_unique<RelayStatusRule>());
  p.add(std::make_unique<EventLimitsRule>(limits));
  p.add(std::make_unique<ExpiredRule>());
  p.add(std::make_unique<ProtectedEventRule>());
  return p;
}

std::optional<std::string> Policy::check(const PolicyInput& in) const {
  for (const auto& rule : rules_) {
    if (auto refusal = rule->check(in)) return refusal;
  }
  return std::nullopt;
}

std::int64_t receive_time(const streams::IngestRequest& request) {
  if (request.received_ms > 0) return request.received_ms / 1000;
  return core::unix_seconds();
}

}  // namespace marina::relay_ingest
