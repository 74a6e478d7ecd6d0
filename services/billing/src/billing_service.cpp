#include "marina/billing/service.hpp"

#include "marina/passport/config.hpp"
#include "marina/passport/request_check.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/service/app.hpp"

namespace marina::billing {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  const auto passport_secret = passport::declare_secret(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  const passport::RequestCheck check{passport::Signer(passport_secret)};
  app.router().get("/healthz", platform::health_handler("billing"));
  // The ingress sends billing's admin routes here (/admin/invoices,
  // /admin/billing): a tenant gets the same 403 as on every other admin route.
  app.router().guard("/admin", check.admin_guard());
  return app.run();
}

}  // namespace marina::billing
