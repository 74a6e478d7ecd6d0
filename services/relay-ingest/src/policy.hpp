#pragma once
// What a hosted relay accepts, decided per event before storage: a list of
// rules run in order, the first refusal wins and becomes the OK message.
//
// The rules read the relay's configuration and auth rules through
// PolicyInput::relay (the pointers the directory keeps current; no lookup per
// event): its status and its owner's, the created_at window, then the
// relay's own policy (libs/relay event_policy.hpp: auth rules, event bounds,
// NIP-40 on arrival, NIP-13, the words relay-query's quick check uses too),
// and NIP-70. Rate limits need Redis and live in rate_limiter.hpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/relay/event_policy.hpp"
#include "marina/relay/settings.hpp"
#include "marina/store/relay.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest {

struct PolicyInput {
  const store::Relay& relay;
  const nostr::Event& event;
  const streams::IngestRequest& request;
  std::int64_t now;  // unix seconds the client sent the event at (see receive_time)
};

class Rule {
 public:
  virtual ~Rule() = default;
  // A NIP-01 prefixed refusal ("blocked: ...", "invalid: ...") with its
  // metrics reason, or nullopt to let the event through.
  virtual std::optional<relay::EventRefusal> check(const PolicyInput& in) const = 0;
};

class Policy {
 public:
  // Relay and owner status, created_at window, the relay's event policy
  // (within the platform's `limits`), NIP-70.
  static Policy platform(const relay::RelayLimits& limits);

  void add(std::unique_ptr<Rule> rule) { rules_.push_back(std::move(rule)); }
  std::optional<relay::EventRefusal> check(const PolicyInput& in) const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
};

// When the client sent it (the socket's receive time; now when missing):
// the created_at window is measured from there, so a re-delivered entry is
// judged as it was when it arrived.
std::int64_t receive_time(const streams::IngestRequest& request);

}  // namespace marina::relay_ingest
