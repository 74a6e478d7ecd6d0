#pragma once
// The HTTP routes of the hosting API. Every route checks the caller's
// passport first (401 without a valid one); admin routes also need the admin
// role (403 admin-required).
#include "hosting.hpp"
#include "marina/http/router.hpp"
#include "marina/passport/request_check.hpp"
#include "policy.hpp"
#include "settings.hpp"

namespace marina::redis {
class Client;
}

namespace marina::tenants {

// GET /tenant, /tenant/relays[/:id[/activity]], POST /tenant/relays,
// PUT/DELETE /tenant/relays/:id, POST /tenant/relays/:id/reactivate.
void add_tenant_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                       const Settings& settings);

// /admin/tenants[/:pubkey], /admin/relays[/:id].
void add_admin_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                      const Settings& settings);

// GET /tenant/relays/:id/export (NDJSON), POST /tenant/relays/:id/import.
void add_data_routes(http::Router& router, Hosting& hosting, const passport::RequestCheck& check,
                     const Settings& settings, pg::Pool& db, redis::Client& redis);

// GET/PUT /tenant/relays/:id/config, GET/POST /tenant/relays/:id/rules,
// DELETE /tenant/relays/:id/rules/:rule_id; GET /admin/relays/:id/config|rules.
void add_policy_routes(http::Router& router, Policy& policy, const passport::RequestCheck& check);

class Nip86Auth;
class Nip86;
// POST /nip86: NIP-86 on a relay's URL (the ingress rewrites those POSTs here);
// authenticated by NIP-98 itself (nip86_auth.hpp), not by a passport.
void add_nip86_routes(http::Router& router, Nip86Auth& auth, Nip86& nip86);

}  // namespace marina::tenants
