#pragma once
// billing's HTTP routes (the ingress already sends them here). Every route
// but GET /plans checks the caller's passport first (401 without a valid
// one); everything under /admin also needs the admin role (403
// admin-required, before routing).
#include "marina/http/router.hpp"
#include "marina/passport/request_check.hpp"
#include "settings.hpp"

namespace marina::pg {
class Pool;
}
namespace marina::redis {
class Client;
}

namespace marina::billing {

// GET /plans (public), PUT /admin/plans/:id (announces plan.updated on
// marina:platform so the relay services reload the limits).
void add_plan_routes(http::Router& router, pg::Pool& db, redis::Client& redis, const passport::RequestCheck& check);

// GET /tenant/invoices, GET /tenant/invoices/:id.
void add_tenant_invoice_routes(http::Router& router, pg::Pool& db, const passport::RequestCheck& check);

// GET /admin/invoices, GET /admin/invoices/:id, POST /admin/invoices/:id/mark-paid,
// POST /admin/invoices/:id/void.
void add_admin_invoice_routes(http::Router& router, pg::Pool& db, const passport::RequestCheck& check,
                              Clock clock);

}  // namespace marina::billing
