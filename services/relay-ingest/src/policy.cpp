#include "policy.hpp"

#include <algorithm>
#include <chrono>

#include "marina/nostr/nip40.hpp"
#include "marina/nostr/relay_message.hpp"

namespace marina::relay_ingest {

using nostr::Prefix;
using nostr::prefixed;

namespace {

class RelayStatusRule final : public Rule {
 public:
  std::optional<std::string> check(const PolicyInput& in) const override { return relay_refusal(in.relay); }
};

class TagCountRule final : public Rule {
 public:
  explicit TagCountRule(std::size_t max) : max_(max) {}
  std::optional<std::string> check(const PolicyInput& in) const override {
    if (in.event.tags.size() <= max_) return std::nullopt;
    return prefixed(Prefix::invalid, "too many tags (" + std::to_string(in.event.tags.size()) + ", at most " +
                                         std::to_string(max_) + ")");
  }

 private:
  std::size_t max_;
};

class ContentLengthRule final : public Rule {
 public:
  explicit ContentLengthRule(std::size_t max) : max_(max) {}
  std::optional<std::string> check(const PolicyInput& in) const override {
    if (in.event.content.size() <= max_) return std::nullopt;
    return prefixed(Prefix::invalid, "content too long (" + std::to_string(in.event.content.size()) +
                                         " bytes, at most " + std::to_string(max_) + ")");
  }

 private:
  std::size_t max_;
};

class CreatedAtWindowRule final : public Rule {
 public:
  CreatedAtWindowRule(std::int64_t lower, std::int64_t upper) : lower_(lower), upper_(upper) {}
  std::optional<std::string> check(const PolicyInput& in) const override {
    // An owner restoring the relay's archive brings events of any age; the
    // future bound still holds (nothing may claim to be from tomorrow).
    if (in.event.created_at < in.now - lower_ && !in.request.imported)
      return prefixed(Prefix::invalid, "created_at too far in the past");
    if (in.event.created_at > in.now + upper_) return prefixed(Prefix::invalid, "created_at too far in the future");
    return std::nullopt;
  }

 private:
  std::int64_t lower_;
  std::int64_t upper_;
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
    return prefixed(Prefix::auth_required, "this event may only be published by its author");
  }
};

}  // namespace

Policy Policy::platform(const relay::RelayLimits& limits) {
  Policy p;
  p.add(std::make_unique<RelayStatusRule>());
  p.add(std::make_unique<TagCountRule>(limits.max_event_tags));
  p.add(std::make_unique<ContentLengthRule>(limits.max_content_length));
  p.add(std::make_unique<CreatedAtWindowRule>(limits.created_at_lower_seconds, limits.created_at_upper_seconds));
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
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<std::string> relay_refusal(const store::Relay& relay) {
  switch (relay.status) {
    case store::RelayStatus::active:
      return std::nullopt;
    case store::RelayStatus::suspended:
      return prefixed(Prefix::blocked, relay.status_reason.empty() ? "this relay is suspended" : relay.status_reason);
    case store::RelayStatus::inactive:
      break;
  }
  return prefixed(Prefix::blocked, relay.status_reason.empty() ? "this relay is not active" : relay.status_reason);
}

}  // namespace marina::relay_ingest
