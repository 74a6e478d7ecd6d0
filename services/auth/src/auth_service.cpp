#include "marina/auth/service.hpp"

#include <memory>

#include "marina/core/log.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/service/app.hpp"
#include "settings.hpp"
#include "verifier.hpp"

namespace marina::auth {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  const Settings settings = declare_settings(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  app.router().get("/healthz", platform::health_handler("auth"));
  add_verify_route(app.router(), std::make_shared<Verifier>(settings, backends.redis(), app.metrics()));
  log::info("verifying NIP-98", {{"window_s", settings.window.count()},
                                 {"max_header_bytes", settings.max_header_bytes},
                                 {"failures_per_minute", settings.failures_per_minute},
                                 {"admins", settings.admins.size()}});
  return app.run();
}

}  // namespace marina::auth
