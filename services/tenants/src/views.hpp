#pragma once
// The JSON the API answers with, one function per resource, so every route
// shows a resource the same way.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "marina/relay/settings.hpp"
#include "model.hpp"

namespace marina::tenants {

// {pubkey, npub, status, status_reason, created_at, relays_count}
nlohmann::json tenant_json(const Tenant& t);
// {id, tenant_pubkey, subdomain, url, name, description, plan, status,
//  status_reason, relay_pubkey, created_at, updated_at}
nlohmann::json relay_json(const Relay& r, const relay::RelaySettings& settings);
// {id, relay_id, tenant_pubkey, actor_pubkey, actor_role, action, plan, status, details, created_at}
nlohmann::json activity_json(const Activity& a);
// {items, next_cursor}: next_cursor is null on the last page.
nlohmann::json page_json(nlohmann::json items, std::optional<std::string> next_cursor);

}  // namespace marina::tenants
