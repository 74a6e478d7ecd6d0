#pragma once
// The request bodies of the relay routes, checked field by field:
//   400 invalid-field   a field of the wrong type, too long, or unknown
//   400 subdomain-*     see subdomain.hpp
#include <optional>
#include <string>

#include "marina/http/request.hpp"
#include "repository.hpp"
#include "settings.hpp"

namespace marina::tenants {

struct CreateRelay {
  std::string subdomain;  // normalized
  std::string name;
  std::string description;
  std::optional<std::string> plan;  // default: the first configured plan named "free", else the first plan
};

// POST /tenant/relays: {subdomain, name?, description?, plan?}
CreateRelay read_create_relay(const http::Request& req, const Settings& settings);

// PUT /tenant/relays/:id: any of {name, description, plan}; an admin's PUT
// may also carry {status: active|inactive|suspended, reason?}.
repo::RelayChanges read_relay_changes(const http::Request& req, bool admin);

// PUT /admin/tenants/:pubkey: {status: active|suspended}
TenantStatus read_tenant_status(const http::Request& req);

}  // namespace marina::tenants
