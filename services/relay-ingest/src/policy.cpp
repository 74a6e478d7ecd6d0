#include "policy.hpp"

#include <algorithm>

#include "marina/core/clock.hpp"
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
  std::optional<relay::EventRefusal> check(const PolicyInput& in) const override {
    auto why = store::event_refusal(&in.relay);
    if (!why) return std::nullopt;
    return relay::EventRefusal{store::event_refusal_reason(&in.relay), std::move(*why)};
  }
};

class CreatedAtRule final : public Rule {
 public:
  explicit CreatedAtRule(const relay::RelayLimits& limits) : limits_(limits) {}
  std::optional<relay::EventRefusal> check(const PolicyInput& in) const override {
    // An owner restoring the relay's archive brings events of any age; the
    // future bound still holds (nothing may claim to be from tomorrow).
    auto why = relay::created_at_refusal(in.event.created_at, in.now, limits_, !in.request.imported);
    if (!why) return std::nullopt;
    return relay::EventRefusal{"created_at", std::move(*why)};
  }

 private:
  relay::RelayLimits limits_;
};

// The relay's own configuration and auth rules (libs/relay event_policy.hpp).
// They apply to an owner's import too: the relay stores what its policy admits.
class RelayPolicyRule final : public Rule {
 public:
  explicit RelayPolicyRule(const relay::RelayLimits& limits) : limits_(limits) {}
  std::optional<relay::EventRefusal> check(const PolicyInput& in) const override {
    return relay::event_policy_refusal(in.event, in.relay.tenant_pubkey, relay::config_of(in.relay.config),
                                       relay::rules_of(in.relay.rules), limits_, in.now);
  }

 private:
  relay::RelayLimits limits_;
};

// NIP-70: an event tagged ["-"] may only be published by its author, proven
// by NIP-42 AUTH on the connection it came from.
class ProtectedEventRule final : public Rule {
 public:
  std::optional<relay::EventRefusal> check(const PolicyInput& in) const override {
    const bool is_protected = std::any_of(in.event.tags.begin(), in.event.tags.end(),
                                          [](const nostr::Tag& t) { return t.size() == 1 && t[0] == "-"; });
    if (!is_protected) return std::nullopt;
    const std::string author = in.event.pubkey_hex();
    const auto& authed = in.request.auth_pubkeys;
    if (std::find(authed.begin(), authed.end(), author) != authed.end()) return std::nullopt;
    return relay::EventRefusal{"protected_event", relay::protected_event_refusal(!authed.empty())};
  }
};

}  // namespace

Policy Policy::platform(const relay::RelayLimits& limits) {
  Policy p;
  p.add(std::make_unique<RelayStatusRule>());
  p.add(std::make_unique<CreatedAtRule>(limits));
  p.add(std::make_unique<RelayPolicyRule>(limits));
  p.add(std::make_unique<ProtectedEventRule>());
  return p;
}

std::optional<relay::EventRefusal> Policy::check(const PolicyInput& in) const {
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
