// Wiring of relay-query: configuration, the relay directory and event store,
// the public HTTP routes and the WebSocket gate, the three stream consumers,
// the idle sweep, metrics and the graceful shutdown.
#include "marina/relay_query/service.hpp"

#include <boost/asio/awaitable.hpp>

#include "marina/core/log.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/stream_follower.hpp"
#include "marina/relay_query/connection_registry.hpp"
#include "marina/relay_query/events_consumer.hpp"
#include "marina/relay_query/idle_sweeper.hpp"
#include "marina/relay_query/ingest_queue.hpp"
#include "marina/relay_query/live_hub.hpp"
#include "marina/relay_query/platform_consumer.hpp"
#include "marina/relay_query/query_probe.hpp"
#include "marina/relay_query/query_settings.hpp"
#include "marina/relay_query/relay_http.hpp"
#include "marina/relay_query/replies_consumer.hpp"
#include "marina/relay_query/session.hpp"
#include "marina/relay_query/session_context.hpp"
#include "marina/relay_query/upgrade_gate.hpp"
#include "marina/service/app.hpp"
#include "marina/store/event_store.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_query {

namespace {

// On SIGTERM: every client gets a close frame (going away) while the public
// server drains, and the stream consumers stop (closing their connections
// ends a blocking read at once).
boost::asio::awaitable<void> close_everything(ConnectionRegistry& connections, std::vector<redis::StreamFollower*> followers,
                                              std::vector<redis::Client*> clients) {
  for (redis::StreamFollower* f : followers) f->stop();
  for (redis::Client* c : clients) c->close();
  for (const auto& session : connections.all())
    session->post_close(CloseCause::shutdown, "relay-query is restarting; please reconnect");
  co_return;
}

}  // namespace

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  const QuerySettings settings = declare_query_settings(ctx.config);
  ctx.finish_config();

  // Declared before the App so they outlive its io_context: a session's
  // admission slot and subscriptions may be released while the io_context
  // destroys what is left at exit.
  ConnectionRegistry connections(settings.relay.limits.max_connections_per_ip);
  LiveHub hub(LiveHubOptions{.recent_ids = settings.recent_event_ids});

  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  QueryProbe probe(app.metrics());
  store::RelayDirectory directory(backends.db());
  store::EventStore events(backends.db(), store::EventStoreOptions{.default_limit = settings.relay.limits.default_limit,
                                                                    .max_limit = settings.relay.limits.max_limit});
  IngestQueue ingest(backends.redis(), settings.ingest_stream_maxlen);
  SessionContext sessions{.settings = settings,
                          .message_limits = message_limits(settings.relay.limits),
                          .store = events,
                          .directory = directory,
                          .hub = hub,
                          .connections = connections,
                          .ingest = ingest,
                          .probe = probe};

  RelayHttpContext http_context{directory, settings};
  app.router().get("/healthz", platform::health_handler("relay-query"));
  add_relay_routes(app.router(), http_context);
  app.set_upgrade_handler([&sessions](http::Request& req) { return decide_upgrade(sessions, req); });

  // Each blocking stream reader on a Redis connection of its own.
  auto replies_redis = backends.new_redis_connection();
  auto events_redis = backends.new_redis_connection();
  auto platform_redis = backends.new_redis_connection();
  redis::StreamFollower replies_stream(*replies_redis, streams::replies_stream(settings.replica_id));
  redis::StreamFollower events_stream(*events_redis, std::string(streams::kEventsStream));
  redis::StreamFollower platform_stream(*platform_redis, std::string(streams::kPlatformStream),
                                        redis::StreamFollowerOptions{.count = 100});
  RepliesConsumer replies(replies_stream, connections, probe);
  EventsConsumer fanout(events_stream, hub, probe);
  PlatformConsumer platform_facts(platform_stream, directory, connections, probe, settings.directory_reconcile);
  app.spawn("replies-consumer", replies.run());
  app.spawn("events-consumer", fanout.run());
  app.spawn("platform-consumer", platform_facts.run());
  app.spawn("idle-sweeper",
            sweep_idle_connections(connections, idle_sweep_interval(settings.relay.limits.idle_timeout)));

  app.metrics().callback_gauge("marina_relay_query_live_subscriptions",
                               "Subscriptions filed in the live index (stored results loading or live).",
                               [&hub] { return static_cast<double>(hub.subscription_count()); });
  app.on_shutdown("close-websockets", [&connections, &replies_stream, &events_stream, &platform_stream,
                                       r = replies_redis.get(), e = events_redis.get(), p = platform_redis.get()] {
    return close_everything(connections, {&replies_stream, &events_stream, &platform_stream}, {r, e, p});
  });
  log::info("relay-query configured", {{"replica", settings.replica_id},
                                       {"relay_domain", settings.relay.relay_domain},
                                       {"replies_stream", streams::replies_stream(settings.replica_id)}});
  return app.run();
}

}  // namespace marina::relay_query
