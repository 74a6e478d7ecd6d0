// The Gateway: relay-query's parts built once (directory, store, hub,
// connections, probe), the HTTP routes and the WebSocket gate over them, and
// the stream readers and sweeps that feed them.
#include "marina/relay_query/gateway.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/this_coro.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "activity_log.hpp"
#include "connection_registry.hpp"
#include "events_consumer.hpp"
#include "idle_sweeper.hpp"
#include "ingest_queue.hpp"
#include "live_hub.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/stream_follower.hpp"
#include "marina/store/event_store.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"
#include "platform_consumer.hpp"
#include "presence_reporter.hpp"
#include "query_probe.hpp"
#include "relay_http.hpp"
#include "replies_consumer.hpp"
#include "session.hpp"
#include "session_context.hpp"
#include "upgrade_gate.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

struct Gateway::Impl {
  Impl(pg::Pool& db, redis::Client& redis, redis::Options options, metrics::Registry& registry, QuerySettings s)
      : db(db),
        settings(std::move(s)),
        redis_options(std::move(options)),
        redis_client(redis),
        connections(settings.relay.limits.max_connections_per_ip),
        activity(settings.activity_log_rows),
        hub(std::make_shared<LiveHub>(
            LiveHubOptions{.recent_ids = settings.recent_event_ids, .activity = &activity})),
        probe(registry),
        directory(db),
        events(db, store::EventStoreOptions{.default_limit = settings.relay.limits.default_limit,
                                            .max_limit = settings.relay.limits.max_limit}),
        ingest(redis, settings.ingest_stream_maxlen),
        sessions{.settings = settings,
                 .message_limits = message_limits(settings.relay.limits),
                 .store = events,
                 .directory = directory,
                 .hub = *hub,
                 .connections = connections,
                 .ingest = ingest,
                 .probe = probe,
                 .activity = activity},
        http_context{directory, settings} {
    // Read at each scrape; the registry may outlive the Gateway (a test's does).
    registry.callback_gauge("marina_relay_query_live_subscriptions",
                            "Subscriptions filed in the live index (stored results loading or live).",
                            [weak = std::weak_ptr<LiveHub>(hub)] {
                              auto h = weak.lock();
                              return h ? static_cast<double>(h->subscription_count()) : 0.0;
                            });
  }

  // A follower of one stream on a Redis connection of its own (blocking reads
  // never hold a connection other commands use), known to close_all() while
  // it exists; its connection is closed when it goes, so a cancelled task
  // leaves none behind.
  class Reader {
   public:
    Reader(Impl& impl, const asio::any_io_executor& executor, std::string stream, redis::StreamFollowerOptions options)
        : impl_(impl), client_(executor, impl.redis_options), follower_(client_, std::move(stream), options) {
      std::lock_guard lock(impl_.readers_mu);
      if (impl_.closed) stop();
      impl_.readers.push_back(this);
    }
    ~Reader() {
      {
        std::lock_guard lock(impl_.readers_mu);
        std::erase(impl_.readers, this);
      }
      client_.close();
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    redis::StreamFollower& follower() { return follower_; }
    // Closing the connection ends a blocking read at once.
    void stop() {
      follower_.stop();
      client_.close();
    }

   private:
    Impl& impl_;
    redis::Client client_;
    redis::StreamFollower follower_;
  };

  pg::Pool& db;
  QuerySettings settings;
  redis::Options redis_options;
  redis::Client& redis_client;  // shared, non-blocking commands only
  ConnectionRegistry connections;
  ActivityLog activity;
  std::shared_ptr<LiveHub> hub;
  QueryProbe probe;
  store::RelayDirectory directory;
  store::EventStore events;
  IngestQueue ingest;
  SessionContext sessions;
  RelayHttpContext http_context;

  std::mutex readers_mu;
  std::vector<Reader*> readers;
  bool closed = false;  // close_all() was called: readers started later stop at once
};

Gateway::Gateway(pg::Pool& db, redis::Client& redis, redis::Options redis_options, metrics::Registry& registry,
                 QuerySettings settings)
    : impl_(std::make_unique<Impl>(db, redis, std::move(redis_options), registry, std::move(settings))) {}

Gateway::~Gateway() = default;

void Gateway::add_routes(http::Router& router) { add_relay_routes(router, impl_->http_context); }

http::UpgradeHandler Gateway::upgrade_handler() {
  return [&sessions = impl_->sessions](http::Request& request) { return decide_upgrade(sessions, request); };
}

asio::awaitable<void> Gateway::follow_replies() {
  auto& d = *impl_;
  auto executor = co_await asio::this_coro::executor;
  Impl::Reader reader(d, executor, streams::replies_stream(d.settings.replica_id), redis::StreamFollowerOptions{});
  RepliesConsumer replies(reader.follower(), d.connections, d.probe);
  co_await replies.run();
}

asio::awaitable<void> Gateway::follow_events() {
  auto& d = *impl_;
  auto executor = co_await asio::this_coro::executor;
  Impl::Reader reader(d, executor, std::string(streams::kEventsStream), redis::StreamFollowerOptions{});
  EventsConsumer fanout(reader.follower(), *d.hub, d.directory, d.probe);
  co_await fanout.run();
}

asio::awaitable<void> Gateway::follow_platform() {
  auto& d = *impl_;
  auto executor = co_await asio::this_coro::executor;
  Impl::Reader reader(d, executor, std::string(streams::kPlatformStream), redis::StreamFollowerOptions{.count = 100});
  PlatformConsumer platform_facts(reader.follower(), d.directory, d.connections, d.probe,
                                  d.settings.directory_reconcile);
  co_await platform_facts.run();
}

asio::awaitable<void> Gateway::flush_activity() {
  co_await impl_->activity.run(impl_->db, impl_->settings.activity_log_flush);
}

asio::awaitable<void> Gateway::sweep_idle() {
  co_await sweep_idle_connections(impl_->connections, idle_sweep_interval(impl_->settings.relay.limits.idle_timeout));
}

asio::awaitable<void> Gateway::report_presence() {
  co_await relay_query::report_presence(impl_->connections, impl_->redis_client, impl_->settings.replica_id,
                                        impl_->settings.presence_interval);
}

asio::awaitable<void> Gateway::close_all() {
  auto& d = *impl_;
  {
    std::lock_guard lock(d.readers_mu);
    d.closed = true;
    for (Impl::Reader* reader : d.readers) reader->stop();
  }
  for (const auto& session : d.connections.all())
    session->post_close(CloseCause::shutdown, "relay-query is restarting; please reconnect");
  co_return;
}

std::size_t Gateway::connection_count() const { return impl_->connections.size(); }

const QuerySettings& Gateway::settings() const { return impl_->settings; }

}  // namespace marina::relay_query
