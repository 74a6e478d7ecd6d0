#include "relay_guard.hpp"

#include "repository.hpp"

namespace marina::tenants {

http::Error relay_not_found(const std::string& id) {
  return http::Error(404, "relay-not-found", "Relay not found", "No relay with id " + id + ".");
}

Relay lock_relay_for_write(pqxx::work& tx, const Actor& actor, const std::string& id,
                           const std::optional<std::string>& owner) {
  auto found = repo::find_relay(tx, id, owner);
  if (!found) throw relay_not_found(id);
  const auto tenant_status = repo::lock_tenant_status(tx, found->tenant_pubkey);
  // Read again under the tenant's lock: what the caller compares against is current.
  Relay relay = *repo::find_relay(tx, id, owner);
  if (!actor.admin) {
    if (tenant_status == "suspended")
      throw http::Error(403, "tenant-suspended", "Tenant suspended", "A suspended tenant cannot change relays.");
    if (relay.status == "suspended")
      throw http::Error(403, "relay-suspended", "Relay suspended",
                        "This relay was suspended by the platform; only an admin can change it.");
  }
  return relay;
}

}  // namespace marina::tenants
