// Wiring of relay-query: configuration, the Gateway (relay-query's work) on
// the App's public server, its stream readers and idle sweep as background
// tasks, and the graceful shutdown.
#include "marina/relay_query/service.hpp"

#include <boost/asio/awaitable.hpp>

#include "marina/core/log.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/relay_query/gateway.hpp"
#include "marina/relay_query/query_settings.hpp"
#include "marina/service/app.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_query {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  QuerySettings settings = declare_query_settings(ctx.config);
  ctx.finish_config();

  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  Gateway gateway(backends.db(), backends.redis(), backend_options.redis, app.metrics(), std::move(settings));

  app.router().get("/healthz", platform::health_handler("relay-query"));
  gateway.add_routes(app.router());
  app.set_upgrade_handler(gateway.upgrade_handler());

  app.spawn("replies-consumer", gateway.follow_replies());
  app.spawn("events-consumer", gateway.follow_events());
  app.spawn("platform-consumer", gateway.follow_platform());
  app.spawn("idle-sweeper", gateway.sweep_idle());
  app.spawn("presence-reporter", gateway.report_presence());
  app.spawn("activity-log", gateway.flush_activity());

  // SIGTERM: every client gets a close frame (going away) while the public
  // server drains, and the stream readers stop (closing their connections
  // ends a blocking read at once).
  app.on_shutdown("close-websockets", [&gateway] { return gateway.close_all(); });
  const QuerySettings& s = gateway.settings();
  log::info("relay-query configured", {{"replica", s.replica_id},
                                       {"relay_domain", s.relay.relay_domain},
                                       {"replies_stream", streams::replies_stream(s.replica_id)}});
  return app.run();
}

}  // namespace marina::relay_query
