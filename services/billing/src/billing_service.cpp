#include "marina/billing/service.hpp"

#include "jobs.hpp"
#include "marina/passport/config.hpp"
#include "marina/passport/request_check.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/service/app.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace marina::billing {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  const auto passport_secret = passport::declare_secret(ctx.config);
  const JobSettings job_settings = declare_job_settings(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  const passport::RequestCheck check{passport::Signer(passport_secret)};
  const Clock clock = billing_clock(job_settings.clock_offset_seconds);
  Jobs jobs(backends.db(), app.metrics(), job_settings, clock);

  app.router().get("/healthz", platform::health_handler("billing"));
  // The ingress sends billing's admin routes here (/admin/invoices,
  // /admin/plans, /admin/billing): a tenant gets the same 403 as on every
  // other admin route, for every path under /admin.
  app.router().guard("/admin", check.admin_guard());
  add_plan_routes(app.router(), backends.db(), backends.redis(), check);
  add_tenant_invoice_routes(app.router(), backends.db(), check);
  add_admin_invoice_routes(app.router(), backends.db(), check, clock);
  app.spawn("billing-jobs", jobs.run());
  return app.run();
}

}  // namespace marina::billing
