#include "marina/relay_ingest/ingester.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "batch_pipeline.hpp"
#include "consumer.hpp"
#include "expiry_purger.hpp"
#include "lag_monitor.hpp"
#include "marina/platform/relay_directory_sync.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/stream_follower.hpp"
#include "marina/store/event_store.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"
#include "probe.hpp"

namespace marina::relay_ingest {

struct Ingester::Impl {
  Impl(pg::Pool& db, redis::Client& r, redis::Options o, metrics::Registry& registry, IngestSettings s)
      : settings(std::move(s)),
        redis(r),
        redis_options(std::move(o)),
        probe(registry),
        store(db),
        relays(db),
        pipeline(store, relays, redis, settings, probe),
        purger(store, settings, probe),
        lag(redis, settings, probe) {}

  // A connection of its own for a blocking reader, closed when the reader ends
  // (a cancelled task must not leave a connection behind).
  struct OwnConnection {
    std::unique_ptr<redis::Client> client;
    ~OwnConnection() {
      if (client) client->close();
    }
  };

  IngestSettings settings;
  redis::Client& redis;
  redis::Options redis_options;
  IngestProbe probe;
  store::EventStore store;
  store::RelayDirectory relays;
  BatchPipeline pipeline;
  ExpiryPurger purger;
  LagMonitor lag;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> consuming{false};
};

Ingester::Ingester(pg::Pool& db, redis::Client& redis, redis::Options redis_options, metrics::Registry& registry,
                   IngestSettings settings)
    : impl_(std::make_unique<Impl>(db, redis, std::move(redis_options), registry, std::move(settings))) {}

Ingester::~Ingester() = default;

boost::asio::awaitable<void> Ingester::consume() {
  auto& d = *impl_;
  // Named first: GCC 12 mishandles a co_await inside an aggregate's initializer.
  auto executor = co_await boost::asio::this_coro::executor;
  Impl::OwnConnection reader{std::make_unique<redis::Client>(executor, d.redis_options)};
  Consumer consumer(*reader.client, d.redis, d.pipeline, d.settings, d.probe, d.stop_requested, d.consuming);
  co_await consumer.run();
}

boost::asio::awaitable<void> Ingester::follow_platform() {
  auto& d = *impl_;
  auto executor = co_await boost::asio::this_coro::executor;
  Impl::OwnConnection reader{std::make_unique<redis::Client>(executor, d.redis_options)};
  redis::StreamFollower follower(*reader.client, std::string(streams::kPlatformStream),
                                 redis::StreamFollowerOptions{.block = std::chrono::milliseconds(1000),
                                                              .count = 100,
                                                              .retry_min = d.settings.retry_min,
                                                              .retry_max = d.settings.retry_max});
  platform::RelayDirectorySync sync(
      follower, d.relays,
      platform::RelayDirectorySyncOptions{.retry_min = d.settings.retry_min, .retry_max = d.settings.retry_max});
  co_await sync.run();
}

boost::asio::awaitable<void> Ingester::purge_expired() { co_await impl_->purger.run(); }

boost::asio::awaitable<void> Ingester::report_lag() { co_await impl_->lag.run(); }

void Ingester::stop() { impl_->stop_requested = true; }

boost::asio::awaitable<void> Ingester::wait_stopped() {
  // Polled: the caller (a shutdown hook) runs on another strand than
  // consume(), and a stop takes a batch's time anyway.
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (impl_->consuming) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

const IngestSettings& Ingester::settings() const { return impl_->settings; }

}  // namespace marina::relay_ingest
