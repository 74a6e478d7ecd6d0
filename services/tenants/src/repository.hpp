#pragma once
// Every SQL statement of the hosting API, as functions on an open
// transaction: the caller decides what runs together (a relay, its default
// activity row are one transaction). No HTTP here;
// callers turn empty results into problems.
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "model.hpp"
#include "page.hpp"

namespace marina::tenants::repo {

// SQL that renders timestamp `column` as RFC 3339 UTC with microseconds, as
// every resource shows its times.
std::string rfc3339_sql(const std::string& column);

// Creates the tenant row if missing; returns it.
Tenant ensure_tenant(pqxx::work& tx, const std::string& pubkey);
std::optional<Tenant> find_tenant(pqxx::work& tx, const std::string& pubkey);
// The tenant row locked until the transaction ends (serializes a tenant's
// relay creations, so the plan limit holds under concurrency).
std::optional<std::string> lock_tenant_status(pqxx::work& tx, const std::string& pubkey);
std::vector<Tenant> list_tenants(pqxx::work& tx, const PageRequest& page);
// The reason is stored with the status ("" for active: reactivation clears it).
bool set_tenant_status(pqxx::work& tx, const std::string& pubkey, const TenantStatus& status);

// `owner` set: only that tenant's relay.
std::optional<Relay> find_relay(pqxx::work& tx, const std::string& id, const std::optional<std::string>& owner);
std::vector<Relay> list_relays(pqxx::work& tx, const std::optional<std::string>& owner, const PageRequest& page);
// Relays on `plan` that count towards its limit (not inactive).
std::int64_t count_counted_relays(pqxx::work& tx, const std::string& owner, const std::string& plan);

struct NewRelay {
  std::string tenant_pubkey;
  std::string subdomain;
  std::string name;
  std::string description;
  std::string plan;
  std::string relay_pubkey;
  std::string relay_secret_enc;  // binary, sealed
};
// Throws pg::UniqueViolation (constraint relays_subdomain_key) when taken.
Relay insert_relay(pqxx::work& tx, const NewRelay& relay);

struct RelayChanges {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> plan;
  std::optional<std::string> status;
  std::optional<std::string> status_reason;
};
Relay update_relay(pqxx::work& tx, const std::string& id, const RelayChanges& changes);

// One audit row: who (actor, its role and door), what (action, details), and
// the result ("ok", or the error of a refused action).
void record_activity(pqxx::work& tx, const Relay& relay, const Actor& actor, const std::string& action,
                     const std::string& details_json, const std::string& result = "ok");
// Oldest first, after activity id `after` (0: from the start).
std::vector<Activity> list_activity(pqxx::work& tx, const std::string& relay_id, std::int64_t after,
                                    std::size_t limit);

}  // namespace marina::tenants::repo
