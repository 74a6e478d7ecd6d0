#pragma once
// relay-query's work, apart from the process around it: the service's main
// wires it into an App, tests run it on an io_context of their own against
// real PostgreSQL and Redis, with an http::Server of their own.
//
//   Gateway gateway(db, redis, redis_options, registry, settings);
//   gateway.add_routes(router);                            // NIP-11, CORS preflight, the human page
//   server.set_upgrade_handler(gateway.upgrade_handler()); // Host -> relay, per-IP bound, then a Session
//   co_spawn(strand, gateway.follow_replies(), ...);       // marina:replies:<REPLICA_ID> -> the EVENTs' OKs
//   co_spawn(strand, gateway.follow_events(), ...);        // marina:events -> live subscriptions
//   co_spawn(strand, gateway.follow_platform(), ...);      // relay directory from PostgreSQL + marina:platform
//   co_spawn(strand, gateway.sweep_idle(), ...);           // connections idle for RELAY_IDLE_TIMEOUT closed
//   co_spawn(strand, gateway.flush_activity(), ...);       // subscription/broadcast logs to PostgreSQL
//   co_await gateway.close_all();                          // shutdown: close 1001 to every client, readers stop
//
// Each task must run on a strand of its own (App::spawn does that) or on a
// single-threaded io_context. The follow_* tasks open their own Redis
// connection for their blocking reads and run until close_all() or
// cancellation; sweep_idle() until cancellation. Sessions may outlive the
// Gateway when the io_context is destroyed with them suspended; nothing they
// release then touches it.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>

#include "marina/http/server.hpp"
#include "marina/redis/options.hpp"
#include "marina/relay_query/query_settings.hpp"

namespace marina::http { class Router; }
namespace marina::metrics { class Registry; }
namespace marina::pg { class Pool; }
namespace marina::redis { class Client; }

namespace marina::relay_query {

class Gateway {
 public:
  // `redis` carries the short commands (XADD to marina:ingest); `redis_options`
  // open the blocking readers. Everything passed must outlive the Gateway.
  Gateway(pg::Pool& db, redis::Client& redis, redis::Options redis_options, metrics::Registry& registry,
          QuerySettings settings);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // GET / and OPTIONS / of every relay host.
  void add_routes(http::Router& router);
  // Decides each WebSocket upgrade and runs the admitted ones as Sessions.
  http::UpgradeHandler upgrade_handler();

  boost::asio::awaitable<void> follow_replies();
  boost::asio::awaitable<void> follow_events();
  boost::asio::awaitable<void> follow_platform();
  boost::asio::awaitable<void> sweep_idle();
  // Reports the connections and subscriptions per relay to Redis (presence_reporter.hpp).
  boost::asio::awaitable<void> report_presence();
  // The subscription and broadcast logs written every RELAY_QUERY_ACTIVITY_LOG_FLUSH
  // (returns at once when RELAY_QUERY_ACTIVITY_LOG_ROWS is 0).
  boost::asio::awaitable<void> flush_activity();

  // Stops the stream readers (a blocking read ends at once) and asks every
  // client connection to close (1001, going away). Callable from any strand.
  boost::asio::awaitable<void> close_all();

  // Client connections open now.
  std::size_t connection_count() const;
  const QuerySettings& settings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marina::relay_query
