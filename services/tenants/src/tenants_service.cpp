#include "marina/tenants/service.hpp"

#include "marina/passport/config.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/service/app.hpp"
#include "whoami.hpp"

namespace marina::tenants {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  const auto passport_secret = passport::declare_secret(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  app.router().get("/healthz", platform::health_handler("tenants"));
  app.router().get("/tenant/whoami", whoami_handler(passport::RequestCheck(passport::Signer(passport_secret))));
  return app.run();
}

}  // namespace marina::tenants
