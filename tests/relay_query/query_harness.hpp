#pragma once
// What the relay-query in-process tests share: relay-ingest's test
// environment (a migrated database, a private Redis — the streams have fixed
// names —, relay rows, signed events), relay-query's Gateway running on an
// io_context of its own thread with its public server on a free port, and
// the stream entries relay-ingest would write.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "ingest_harness.hpp"
#include "marina/http/router.hpp"
#include "marina/http/server.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/nostr/event.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay_query/gateway.hpp"
#include "marina/relay_query/query_settings.hpp"
#include "marina/streams/contracts.hpp"
#include "ws_client.hpp"

namespace marina::relay_query::testing {

using namespace std::chrono_literals;
using relay_ingest::testing::IngestEnv;
using relay_ingest::testing::metric_value;
using relay_ingest::testing::signed_event;

inline constexpr const char* kReplica = "query-test";
inline constexpr const char* kRelayDomain = "relay.test";

// Settings for tests: this replica's name, the test relay domain, the
// defaults of everything else (each test sets the bounds it is about).
QuerySettings test_settings();

// marina:events as relay-ingest writes it after commit.
void publish_accepted(const IngestEnv& env, const std::string& relay_id, const nostr::Event& event);
// This replica's reply stream as relay-ingest writes it.
void publish_reply(const IngestEnv& env, const streams::IngestReply& reply);
// The requests relay-query added to marina:ingest, oldest first.
std::vector<streams::IngestRequest> ingest_requests(const IngestEnv& env);

// The Gateway's tasks and its public server on an io_context of their own
// thread, as the service runs them. The constructor returns once the stream
// readers are following (an entry added after it is read); the destructor
// shuts down as SIGTERM does.
class RunningGateway {
 public:
  RunningGateway(const IngestEnv& env, QuerySettings settings);
  ~RunningGateway();
  RunningGateway(const RunningGateway&) = delete;
  RunningGateway& operator=(const RunningGateway&) = delete;

  std::uint16_t port() const { return port_; }
  // The Host header of a relay: <subdomain>.<relay domain>.
  static std::string host(const std::string& subdomain) { return subdomain + "." + kRelayDomain; }
  std::size_t connection_count() const { return gateway_.connection_count(); }

  std::string metrics() const { return registry_.serialize(); }
  double metric(const std::string& series) const { return metric_value(metrics(), series); }
  // Polls until `series` is at least `value`; false when `timeout` passes first.
  bool wait_metric(const std::string& series, double value, std::chrono::milliseconds timeout = 10s) const;

 private:
  void spawn(boost::asio::awaitable<void> task);
  void wait_until_following(const IngestEnv& env);
  void shut_down();

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  metrics::Registry registry_;
  pg::Pool pool_;
  redis::Client redis_;
  Gateway gateway_;
  http::Router router_;
  http::Server server_;
  std::uint16_t port_ = 0;
  boost::asio::cancellation_signal cancel_;  // the idle sweep, which ends only when cancelled
  std::atomic<int> tasks_{0};
  std::thread thread_;
};

// How most tests start: a fresh environment with one relay, the Gateway, and
// one client connected to that relay.
struct OneConnection {
  OneConnection(const std::string& subdomain, QuerySettings settings, WsClientOptions client_options = {})
      : relay_id(env.add_relay(subdomain)),
        gateway(env, std::move(settings)),
        client(gateway.port(), RunningGateway::host(subdomain), client_options) {}

  IngestEnv env;
  std::string relay_id;
  RunningGateway gateway;
  WsClient client;
};

}  // namespace marina::relay_query::testing
