#pragma once
// The rows the hosting API reads and writes, as the API shows them.
#include <cstdint>
#include <optional>
#include <string>

namespace marina::tenants {

// A status change of a tenant, as the admin route takes it.
struct TenantStatus {
  std::string status;  // active | suspended
  std::string reason;  // why suspended; always "" with active
};

struct Tenant {
  std::string pubkey;       // 64 hex
  std::string status;       // active | suspended
  std::string status_reason;  // why suspended (its relays answer EVENTs "blocked: <reason>"); "" when active
  std::string created_at;   // RFC 3339, UTC
  std::int64_t relays_count = 0;
  std::string cursor;       // where a listing continues after this row
};

struct Relay {
  std::string id;
  std::string tenant_pubkey;
  std::string subdomain;
  std::string name;
  std::string description;
  std::string plan;
  std::string status;         // active | inactive | suspended
  std::string status_reason;
  std::string relay_pubkey;
  std::string created_at;
  std::string updated_at;
  std::string cursor;
};

struct Activity {
  std::int64_t id = 0;
  std::string relay_id;
  std::string tenant_pubkey;
  std::string actor_pubkey;
  std::string actor_role;
  std::string action;
  std::string plan;
  std::string status;
  std::string details_json;
  std::string door;    // http | nip86 | nostr
  std::string result;  // ok, or the error a refused action got
  std::string created_at;
};

// Who is acting: recorded in the activity log and deciding what may be seen.
struct Actor {
  std::string pubkey;
  bool admin = false;  // a platform admin (HOSTING_ADMIN_PUBKEYS)
  // Set (the owner's pubkey) for an admin the relay's owner named in its
  // admin_pubkeys: it acts on that owner's relay with the owner's rights
  // (NIP-86, admin commands over Nostr), under the owner's suspension like
  // the owner, and is recorded as itself, role relay_admin.
  std::string for_owner;
  // The door the action came through, for the audit log: http (the hosting
  // API), nip86 (the relay management API), nostr (admin commands, kind 23456).
  const char* door = "http";
  const char* role() const { return admin ? "admin" : for_owner.empty() ? "tenant" : "relay_admin"; }
};

}  // namespace marina::tenants
