#include "query_harness.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>

#include "marina/redis/streams.hpp"

namespace marina::relay_query::testing {

namespace asio = boost::asio;

namespace {

// A relay id no relay has: entries for it reach no subscriber.
constexpr const char* kNobody = "00000000-0000-0000-0000-000000000000";

void xadd(const IngestEnv& env, std::string_view stream, const redis::Fields& fields) {
  env.command(redis::xadd_command(stream, fields));
}

http::Router relay_routes(Gateway& gateway) {
  http::Router router;
  gateway.add_routes(router);
  return router;
}

pg::PoolOptions pool_options(const std::string& url) {
  pg::PoolOptions o;
  o.url = url;
  o.size = 4;
  return o;
}

}  // namespace

QuerySettings test_settings() {
  QuerySettings s;
  s.replica_id = kReplica;
  s.relay.relay_domain = kRelayDomain;
  return s;
}

void publish_accepted(const IngestEnv& env, const std::string& relay_id, const nostr::Event& event) {
  streams::AcceptedEvent accepted;
  accepted.relay_id = relay_id;
  accepted.event_json = event.raw;
  xadd(env, streams::kEventsStream, accepted.encode());
}

void publish_reply(const IngestEnv& env, const streams::IngestReply& reply) {
  xadd(env, streams::replies_stream(kReplica), reply.encode());
}

std::vector<streams::IngestRequest> ingest_requests(const IngestEnv& env) {
  std::vector<streams::IngestRequest> out;
  const auto entries = redis::parse_entries(env.command({"XRANGE", std::string(streams::kIngestStream), "-", "+"}));
  for (const auto& e : entries) out.push_back(streams::IngestRequest::decode(e.fields));
  return out;
}

RunningGateway::RunningGateway(const IngestEnv& env, QuerySettings settings)
    : work_(io_.get_executor()),
      pool_(pool_options(env.db_url())),
      redis_(io_.get_executor(), redis::parse_url(env.redis_url())),
      gateway_(pool_, redis_, redis::parse_url(env.redis_url()), registry_, std::move(settings)),
      router_(relay_routes(gateway_)),
      server_(io_, router_.to_handler(), http::ServerOptions{.name = "main", .access_log = false}) {
  server_.set_upgrade_handler(gateway_.upgrade_handler());
  port_ = server_.listen("127.0.0.1", 0);
  spawn(gateway_.follow_replies());
  spawn(gateway_.follow_events());
  spawn(gateway_.follow_platform());
  asio::co_spawn(asio::make_strand(io_), gateway_.sweep_idle(),
                 asio::bind_cancellation_slot(cancel_.slot(), [this](std::exception_ptr) { --tasks_; }));
  ++tasks_;
  thread_ = std::thread([this] { io_.run(); });
  try {
    wait_until_following(env);
  } catch (...) {
    shut_down();
    throw;
  }
}

void RunningGateway::spawn(asio::awaitable<void> task) {
  ++tasks_;
  asio::co_spawn(asio::make_strand(io_), std::move(task), [this](std::exception_ptr) { --tasks_; });
}

// A reader starts after the stream's last entry at its first read: entries
// for nobody are added until both readers have counted one.
void RunningGateway::wait_until_following(const IngestEnv& env) {
  const nostr::Event probe = signed_event(nostr::SecretKey::generate(), 1, "are you following?");
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    const bool events = metric("marina_relay_query_live_events_total{result=\"no_subscribers\"}") >= 1;
    const bool replies = metric("marina_relay_query_ingest_replies_unroutable_total") >= 1;
    if (events && replies) return;
    if (std::chrono::steady_clock::now() >= deadline) throw std::runtime_error("relay-query's stream readers did not start");
    if (!events) publish_accepted(env, kNobody, probe);
    if (!replies) publish_reply(env, streams::IngestReply{.connection = 0, .event_id = probe.id.hex()});
    std::this_thread::sleep_for(20ms);
  }
}

bool RunningGateway::wait_metric(const std::string& series, double value, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (metric(series) < value) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

RunningGateway::~RunningGateway() { shut_down(); }

void RunningGateway::shut_down() {
  if (!thread_.joinable()) return;
  // As SIGTERM: clients get close 1001 while the server drains and the
  // readers stop; then the sweep is cancelled and Redis closed.
  std::atomic<bool> drained{false};
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        co_await gateway_.close_all();
        co_await server_.stop(std::chrono::steady_clock::now() + 2s);
        cancel_.emit(asio::cancellation_type::terminal);
        redis_.close();
      },
      [&drained](std::exception_ptr) { drained = true; });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((!drained || tasks_ > 0) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace marina::relay_query::testing
