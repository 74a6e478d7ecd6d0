#pragma once
// The contracts between Marina's services: one struct per Redis stream entry,
// each with the stream it travels on and its encoding as flat stream fields.
// Producer and consumer both use this header, so a field is named in one place.
// Every entry carries `v` (schema version); a consumer refuses an entry whose
// version it does not know instead of guessing.
//
// Streams (docs/architecture.md, "Streams"):
//   marina:ingest            relay-query -> relay-ingest (consumer group "ingest")
//   marina:replies:<replica> relay-ingest -> the relay-query replica holding the socket
//   marina:events            relay-ingest -> every relay-query replica (plain XREAD from $)
//   marina:platform          tenants/billing -> everyone (lifecycle facts)
//   marina:admin             relay-ingest -> tenants (consumer group "admin"): kind 23456 admin commands
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marina::streams {

using Fields = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kIngestStream = "marina:ingest";
inline constexpr std::string_view kIngestGroup = "ingest";
inline constexpr std::string_view kEventsStream = "marina:events";
inline constexpr std::string_view kPlatformStream = "marina:platform";
inline constexpr std::string_view kRepliesPrefix = "marina:replies:";
inline constexpr std::string_view kAdminStream = "marina:admin";
inline constexpr std::string_view kAdminGroup = "admin";

inline std::string replies_stream(std::string_view replica) { return std::string(kRepliesPrefix) + std::string(replica); }

// Thrown by decode() for an entry that does not follow its contract; what()
// says which rule it breaks. A std::exception, so a catch-all that logs
// core::describe() names it too.
struct ContractError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An EVENT a client sent, handed from relay-query to relay-ingest.
struct IngestRequest {
  static constexpr int kVersion = 1;
  std::string relay_id;                     // relays.id
  std::string origin;                       // relay-query replica id: where the OK goes
  std::uint64_t connection = 0;             // connection id within the origin replica
  std::string event_json;                   // the event exactly as received
  std::int64_t received_ms = 0;             // unix milliseconds at the socket
  std::string client_ip;                    // for per-IP policy
  std::vector<std::string> auth_pubkeys;    // NIP-42 authenticated pubkeys (hex) of the connection
  // Sent by the relay's owner through the tenants import (POST .../import),
  // not by a client: the rules that protect a relay from its clients (rate
  // limits, how old created_at may be) do not apply to restoring its own
  // archive. Only a platform service that has checked the owner sets it;
  // relay-query never does. Encoded only when set ("import": "1").
  bool imported = false;
  // The producer parsed the event and checked that its id is the hash of its
  // canonical form (relay-query does for every client EVENT, tenants for
  // every imported line), so relay-ingest need not hash it again. Only
  // platform services write this stream; the signature is always verified
  // by relay-ingest. Encoded only when set ("idok": "1").
  bool id_checked = false;

  Fields encode() const;
  static IngestRequest decode(const Fields& fields);  // throws ContractError
};

// The outcome of one EVENT, for the relay-query replica that holds the socket.
struct IngestReply {
  static constexpr int kVersion = 1;
  std::uint64_t connection = 0;
  std::string event_id;  // hex, as the client sent it ("" when unreadable)
  bool accepted = false;
  std::string message;   // NIP-01 prefixed: "duplicate: ...", "invalid: ...", ...

  Fields encode() const;
  static IngestReply decode(const Fields& fields);
};

// An event accepted on a relay (stored, or ephemeral), after commit.
struct AcceptedEvent {
  static constexpr int kVersion = 1;
  std::string relay_id;
  std::string event_json;

  Fields encode() const;
  static AcceptedEvent decode(const Fields& fields);
};

// A kind 23456 admin command addressed to a relay's own key (its `p` tag is
// the relay's pubkey), signature verified by relay-ingest, which answered the
// client OK and neither stored nor broadcast it. tenants executes it and
// answers with a kind 23457 event on marina:events.
struct AdminRequest {
  static constexpr int kVersion = 1;
  std::string relay_id;      // relays.id
  std::string event_json;    // the 23456 event exactly as received
  std::int64_t received_ms = 0;  // unix milliseconds at the socket

  Fields encode() const;
  static AdminRequest decode(const Fields& fields);  // throws ContractError
};

// A lifecycle fact on the platform. `type` is one of the kFact* names; `data`
// is a JSON object with the fact's details (may be "{}").
struct PlatformFact {
  static constexpr int kVersion = 1;
  std::string type;
  std::string relay_id;       // "" when the fact is about a tenant only
  std::string tenant_pubkey;  // "" when not applicable
  std::string data = "{}";

  Fields encode() const;
  static PlatformFact decode(const Fields& fields);
};

inline constexpr std::string_view kFactRelayCreated = "relay.created";
inline constexpr std::string_view kFactRelayUpdated = "relay.updated";
inline constexpr std::string_view kFactRelayDeactivated = "relay.deactivated";
inline constexpr std::string_view kFactRelayReactivated = "relay.reactivated";
inline constexpr std::string_view kFactRelaySuspended = "relay.suspended";
inline constexpr std::string_view kFactRelayConfigChanged = "relay.config_changed";
inline constexpr std::string_view kFactRelayAuthRulesChanged = "relay.auth_rules_changed";
inline constexpr std::string_view kFactTenantUpdated = "tenant.updated";
inline constexpr std::string_view kFactInvoicePaid = "invoice.paid";
// A plan's limits changed (billing's PUT /admin/plans/:id): every relay carries its plan.
inline constexpr std::string_view kFactPlanUpdated = "plan.updated";

// Looks up a field by name; nullopt when absent.
std::optional<std::string_view> field(const Fields& fields, std::string_view name);

}  // namespace marina::streams
