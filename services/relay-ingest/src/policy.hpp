#pragma once
// What a hosted relay accepts, decided per event before storage: a list of
// rules run in order, the first refusal wins and becomes the OK message.
//
// The platform rules here enforce RelayLimits (the defaults every relay has
// today) and the protocol's own duties (NIP-40 expired, NIP-70 protected).
// Per-relay policy (a later issue: NIP-42 auth-required relays, a PoW
// minimum, kind and pubkey allow/deny lists) is more Rules of the same shape,
// reading that relay's configuration through PolicyInput::relay; rate limits
// need Redis and live in rate_limiter.hpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "marina/nostr/event.hpp"
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
  // A NIP-01 prefixed refusal ("blocked: ...", "invalid: ..."), or nullopt to let the event through.
  virtual std::optional<std::string> check(const PolicyInput& in) const = 0;
};

class Policy {
 public:
  // Relay status, tag count, content length, created_at window, NIP-40, NIP-70.
  static Policy platform(const relay::RelayLimits& limits);

  void add(std::unique_ptr<Rule> rule) { rules_.push_back(std::move(rule)); }
  std::optional<std::string> check(const PolicyInput& in) const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
};

// When the client sent it (the socket's receive time; now when missing):
// the created_at window is measured from there, so a re-delivered entry is
// judged as it was when it arrived.
std::int64_t receive_time(const streams::IngestRequest& request);

}  // namespace marina::relay_ingest
