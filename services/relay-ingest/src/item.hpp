#pragma once
// One marina:ingest entry on its way through the pipeline, from the stream
// read to its ack. Each stage fills in what it learned; once an item has an
// outcome (decided()), later stages leave it alone.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/redis/streams.hpp"
#include "marina/relay/event_policy.hpp"
#include "marina/store/relay.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest {

// A stream entry as read from the group.
struct Delivery {
  std::string entry_id;
  redis::Fields fields;
  // Read back from this consumer's pending list or claimed from another:
  // an earlier attempt may have committed it already (see Item::maybe_committed).
  bool redelivered = false;
};

struct Item {
  std::string entry_id;
  bool redelivered = false;

  // Absent when the entry broke its contract: acked and logged, no reply
  // (without a valid entry there is no connection to answer).
  std::optional<streams::IngestRequest> request;
  std::string contract_error;  // why there is no request
  std::string event_id;  // hex, for the reply; "" when the event had no readable id
  std::optional<nostr::Event> event;  // parsed, id and signature verified
  std::shared_ptr<const store::Relay> relay;
  bool ephemeral = false;  // published, never stored
  // A kind 23456 command for the relay itself (admin_route.hpp): accepted,
  // never stored nor broadcast, handed to tenants on marina:admin.
  bool admin_command = false;

  // The outcome, once decided.
  std::optional<bool> accepted;
  std::string message;   // NIP-01 prefixed, "" for a plain success
  std::string_view reason;  // why it was refused, a fixed metrics label (see IngestProbe::event_done)
  bool publish = false;  // goes on marina:events

  // The store may have committed this event in an earlier attempt whose
  // outcome was lost (a crash before the ack, a COMMIT in doubt). Then a
  // "duplicate: already have this event" is that same event, and it is
  // published again because the first attempt may not have been.
  bool maybe_committed() const { return redelivered || commit_in_doubt; }
  bool commit_in_doubt = false;

  bool decided() const { return accepted.has_value() || !request; }
  // `why` is a string literal or a label of libs/relay (static storage).
  void refuse(std::string_view why, std::string prefixed_message) {
    accepted = false;
    reason = why;
    message = std::move(prefixed_message);
    publish = false;
  }
  void refuse(relay::EventRefusal refusal) { refuse(refusal.reason, std::move(refusal.message)); }
  void accept(std::string prefixed_message, bool to_publish) {
    accepted = true;
    message = std::move(prefixed_message);
    publish = to_publish;
  }
};

using Batch = std::vector<Item>;

}  // namespace marina::relay_ingest
