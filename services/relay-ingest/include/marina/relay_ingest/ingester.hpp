#pragma once
// relay-ingest's work, apart from the process around it: the service's main
// wires it into an App, tests run it on an io_context of their own against
// real PostgreSQL and Redis.
//
//   Ingester ingester(db, redis, redis_options, registry, settings);
//   co_spawn(strand, ingester.consume(), ...);          // marina:ingest -> storage -> events, replies, acks
//   co_spawn(strand, ingester.follow_platform(), ...);  // relay directory from PostgreSQL + marina:platform
//   co_spawn(strand, ingester.purge_expired(), ...);    // NIP-40 purge every EXPIRED_PURGE_INTERVAL
//   co_spawn(strand, ingester.report_lag(), ...);       // stream lag gauges
//   ingester.stop(); co_await ingester.wait_stopped();  // graceful: the batch in hand completes
//
// Each task must run on a strand of its own (App::spawn does that) or on a
// single-threaded io_context. consume() and follow_platform() open their own
// Redis connections for their blocking reads.
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "marina/redis/options.hpp"
#include "marina/relay_ingest/settings.hpp"

namespace marina::metrics { class Registry; }
namespace marina::pg { class Pool; }
namespace marina::redis { class Client; }

namespace marina::relay_ingest {

class Ingester {
 public:
  // `redis` carries the pipelined, non-blocking commands; `redis_options`
  // open the blocking readers. Everything passed must outlive the Ingester.
  Ingester(pg::Pool& db, redis::Client& redis, redis::Options redis_options, metrics::Registry& registry,
           IngestSettings settings);
  ~Ingester();
  Ingester(const Ingester&) = delete;
  Ingester& operator=(const Ingester&) = delete;

  boost::asio::awaitable<void> consume();
  boost::asio::awaitable<void> follow_platform();
  boost::asio::awaitable<void> purge_expired();
  boost::asio::awaitable<void> report_lag();

  // Stop reading marina:ingest; callable from any thread.
  void stop();
  // Returns when consume() has completed its last batch.
  boost::asio::awaitable<void> wait_stopped();

  const IngestSettings& settings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marina::relay_ingest
