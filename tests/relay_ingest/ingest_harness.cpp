#include "ingest_harness.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/system_error.hpp>
#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>

#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/random.hpp"
#include "marina/pg/migrate.hpp"
#include "marina/testing/redis_server.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace marina::relay_ingest::testing {

namespace asio = boost::asio;

namespace {

const marina::testing::RedisServer& private_redis() {
  static marina::testing::RedisServer server;
  return server;
}

std::vector<redis::StreamEntry> xrange(const IngestEnv& env, const std::string& stream) {
  return redis::parse_entries(env.command({"XRANGE", stream, "-", "+"}));
}

}  // namespace

std::string private_redis_url() { return private_redis().url(); }

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

IngestEnv::IngestEnv() : IngestEnv(marina::testing::shared_pg().fresh_database(), private_redis().url()) {}

IngestEnv::IngestEnv(std::string db_url, std::string redis_url)
    : db_url_(std::move(db_url)), redis_url_(std::move(redis_url)) {
  const char* source = std::getenv("MARINA_SOURCE_DIR");
  if (source == nullptr) throw std::runtime_error("MARINA_SOURCE_DIR is not set (run through ctest)");
  pqxx::connection conn(db_url_);
  pg::migrate(conn, pg::load_migrations(std::filesystem::path(source) / "migrations"));
  command({"FLUSHALL"});
}

std::string IngestEnv::add_relay(const std::string& subdomain, const std::string& status, const std::string& reason) {
  pqxx::connection conn(db_url_);
  pqxx::work tx(conn);
  const std::string tenant = nostr::random_bytes32().hex();
  tx.exec_params("INSERT INTO tenants (pubkey) VALUES ($1)", tenant);
  const auto row = tx.exec_params1(
      // Business: its plan's event rate (60,000 a minute) is above what any test sends.
      "INSERT INTO relays (tenant_pubkey, subdomain, plan, relay_pubkey, relay_secret_enc, status, status_reason) "
      "VALUES ($1, $2, 'business', $3, '\\x00'::bytea, $4, $5) RETURNING id::text",
      tenant, subdomain, nostr::random_bytes32().hex(), status, reason);
  tx.commit();
  return row[0].as<std::string>();
}

void IngestEnv::sql(const std::string& statement) const {
  pqxx::connection conn(db_url_);
  pqxx::nontransaction tx(conn);
  tx.exec(statement);
}

bool IngestEnv::stored(const std::string& relay_id, const std::string& event_id) const {
  pqxx::connection conn(db_url_);
  pqxx::nontransaction tx(conn);
  return tx.exec_params1("SELECT count(*) FROM events WHERE relay_id = $1::uuid AND id = decode($2, 'hex')", relay_id,
                         event_id)[0]
             .as<int>() == 1;
}

std::size_t IngestEnv::stored_count(const std::string& relay_id) const {
  pqxx::connection conn(db_url_);
  pqxx::nontransaction tx(conn);
  return tx.exec_params1("SELECT count(*) FROM events WHERE relay_id = $1::uuid", relay_id)[0].as<std::size_t>();
}

redis::Reply IngestEnv::command(std::vector<std::string> args) const {
  return marina::testing::run_async([&]() -> asio::awaitable<redis::Reply> {
    auto executor = co_await asio::this_coro::executor;
    redis::Client client(executor, redis::parse_url(redis_url_));
    redis::Reply reply;
    // The client connects in the background: the first command may find it not connected yet.
    for (int attempt = 0;; ++attempt) {
      try {
        reply = co_await client.command(args);
        break;
      } catch (const redis::Unavailable&) {
        if (attempt > 100) throw;
      }
      asio::steady_timer t(co_await asio::this_coro::executor, 10ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    client.close();
    co_return reply;
  });
}

std::string IngestEnv::xadd_fields(const redis::Fields& fields) const {
  std::vector<std::string> args{"XADD", std::string(streams::kIngestStream), "*"};
  for (const auto& [k, v] : fields) {
    args.push_back(k);
    args.push_back(v);
  }
  return command(std::move(args)).as_string();
}

std::string IngestEnv::xadd(const streams::IngestRequest& request) const { return xadd_fields(request.encode()); }

std::vector<streams::IngestReply> IngestEnv::replies(const std::string& origin) const {
  std::vector<streams::IngestReply> out;
  for (const auto& e : xrange(*this, streams::replies_stream(origin))) out.push_back(streams::IngestReply::decode(e.fields));
  return out;
}

std::vector<streams::IngestReply> IngestEnv::wait_replies(const std::string& origin, std::size_t n,
                                                          std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto r = replies(origin);
    if (r.size() >= n || std::chrono::steady_clock::now() >= deadline) return r;
    std::this_thread::sleep_for(20ms);
  }
}

std::vector<streams::AcceptedEvent> IngestEnv::events() const {
  std::vector<streams::AcceptedEvent> out;
  for (const auto& e : xrange(*this, std::string(streams::kEventsStream))) out.push_back(streams::AcceptedEvent::decode(e.fields));
  return out;
}

std::int64_t IngestEnv::pending() const {
  const redis::Reply r = command({"XPENDING", std::string(streams::kIngestStream), std::string(streams::kIngestGroup)});
  if (r.is_error()) return 0;
  return r.as_array().at(0).as_integer();
}

std::int64_t IngestEnv::undelivered() const {
  const redis::Reply groups = command({"XINFO", "GROUPS", std::string(streams::kIngestStream)});
  for (const auto& g : groups.as_array()) {
    const auto& f = g.as_array();
    bool ours = false;
    std::int64_t lag = 0;
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
      if (f[i].as_string() == "name") ours = f[i + 1].as_string() == streams::kIngestGroup;
      if (f[i].as_string() == "lag") lag = f[i + 1].as_integer();
    }
    if (ours) return lag;
  }
  return 0;
}

nostr::Event signed_event(const nostr::SecretKey& key, nostr::Kind kind, std::string content, nostr::Tags tags,
                          std::int64_t created_at) {
  nostr::EventTemplate t;
  t.kind = kind;
  t.created_at = created_at;
  t.tags = std::move(tags);
  t.content = std::move(content);
  return nostr::sign(t, key);
}

streams::IngestRequest request_for(const std::string& relay_id, const nostr::Event& event, const std::string& origin,
                                   std::uint64_t connection, const std::string& ip) {
  streams::IngestRequest r;
  r.relay_id = relay_id;
  r.origin = origin;
  r.connection = connection;
  r.event_json = event.raw;
  r.received_ms = unix_ms();
  r.client_ip = ip;
  return r;
}

IngestSettings test_settings(const std::string& consumer) {
  IngestSettings s;
  s.consumer = consumer;
  s.block = 50ms;
  s.retry_min = 20ms;
  s.retry_max = 200ms;
  s.lag_interval = 200ms;
  s.relay.limits.events_per_minute_per_ip = 1000000;
  s.relay.limits.events_per_minute_per_pubkey = 1000000;
  return s;
}

RunningIngester::RunningIngester(const std::string& db_url, const std::string& redis_url, IngestSettings settings)
    : work_(io_.get_executor()),
      pool_([&] {
        pg::PoolOptions o;
        o.url = db_url;
        o.size = 4;
        return o;
      }()),
      redis_(io_.get_executor(), redis::parse_url(redis_url)),
      ingester_(pool_, redis_, redis::parse_url(redis_url), registry_, std::move(settings)) {
  consuming_ = true;
  spawn(ingester_.consume(), nullptr);
  spawn(ingester_.follow_platform(), &cancel_[0]);
  spawn(ingester_.purge_expired(), &cancel_[1]);
  spawn(ingester_.report_lag(), &cancel_[2]);
  thread_ = std::thread([this] { io_.run(); });
}

void RunningIngester::spawn(asio::awaitable<void> task, asio::cancellation_signal* cancel) {
  ++tasks_;
  const bool is_consumer = cancel == nullptr;
  auto done = [this, is_consumer](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const boost::system::system_error& se) {
        if (se.code() != asio::error::operation_aborted) {
          std::lock_guard lock(mu_);
          failure_ = se.what();
        }
      } catch (const std::exception& ex) {
        std::lock_guard lock(mu_);
        failure_ = ex.what();
      }
    }
    if (is_consumer) consuming_ = false;
    --tasks_;
  };
  if (cancel != nullptr) {
    asio::co_spawn(asio::make_strand(io_), std::move(task), asio::bind_cancellation_slot(cancel->slot(), done));
  } else {
    asio::co_spawn(asio::make_strand(io_), std::move(task), done);
  }
}

void RunningIngester::stop() {
  if (stopped_) return;
  stopped_ = true;
  ingester_.stop();
  // consume() is the only task that ends by itself: wait for it.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (consuming_ && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  asio::post(io_, [this] {
    for (auto& c : cancel_) c.emit(asio::cancellation_type::terminal);
  });
  while (tasks_ > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  asio::post(io_, [this] { redis_.close(); });
  work_.reset();
  std::this_thread::sleep_for(50ms);
  io_.stop();
  thread_.join();
}

RunningIngester::~RunningIngester() { stop(); }

std::string RunningIngester::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

double metric_value(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

}  // namespace marina::relay_ingest::testing
