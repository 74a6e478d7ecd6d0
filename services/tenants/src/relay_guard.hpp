#pragma once
// Who may write to which relay, checked inside the writing transaction so the
// answer cannot change before the write commits. Shared by the relay
// lifecycle (hosting.cpp) and the relay's policy (policy.cpp).
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "marina/http/error.hpp"
#include "model.hpp"

namespace marina::tenants {

// 404 relay-not-found (also for another tenant's relay: its existence is not told).
http::Error relay_not_found(const std::string& id);

// The relay `id` within `owner` (nullopt: any tenant's), read after locking its
// tenant's row (a tenant's writes run one after another, so counts against
// plan limits hold). A tenant (not an admin) is refused 403 tenant-suspended
// while suspended and 403 relay-suspended on a relay the platform suspended.
Relay lock_relay_for_write(pqxx::work& tx, const Actor& actor, const std::string& id,
                           const std::optional<std::string>& owner);

}  // namespace marina::tenants
