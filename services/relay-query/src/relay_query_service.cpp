#include "marina/relay_query/service.hpp"

#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/service/app.hpp"

namespace marina::relay_query {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  app.router().get("/healthz", platform::health_handler("relay-query"));
  return app.run();
}

}  // namespace marina::relay_query
