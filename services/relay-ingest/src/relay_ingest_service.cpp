#include "marina/relay_ingest/service.hpp"

#include "marina/platform/backends.hpp"
#include "marina/relay_ingest/ingester.hpp"
#include "marina/relay_ingest/settings.hpp"
#include "marina/service/app.hpp"

namespace marina::relay_ingest {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  IngestSettings settings = declare_ingest_settings(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  Ingester ingester(backends.db(), backends.redis(), backend_options.redis, app.metrics(), std::move(settings));

  app.spawn("ingest-consumer", ingester.consume());
  app.spawn("platform-follower", ingester.follow_platform());
  app.spawn("expired-purge", ingester.purge_expired());
  app.spawn("ingest-lag", ingester.report_lag());
  // SIGTERM: stop reading, finish the batch in hand (commit, publish, ack);
  // bounded by SHUTDOWN_GRACE like every hook.
  app.on_shutdown("ingest-consumer", [&ingester]() -> boost::asio::awaitable<void> {
    ingester.stop();
    co_await ingester.wait_stopped();
  });
  return app.run();
}

}  // namespace marina::relay_ingest
