#include "marina/relay_ingest/service.hpp"

#include "marina/platform/backends.hpp"
#include "marina/service/app.hpp"

namespace marina::relay_ingest {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  return app.run();
}

}  // namespace marina::relay_ingest
