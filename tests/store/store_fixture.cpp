#include "store_fixture.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "marina/nostr/random.hpp"
#include "marina/pg/migrate.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"

namespace marina::store::testing {

std::string fresh_migrated_database() {
  const std::string url = marina::testing::shared_pg().fresh_database();
  const char* source = std::getenv("MARINA_SOURCE_DIR");
  if (source == nullptr) throw std::runtime_error("MARINA_SOURCE_DIR is not set (run through ctest)");
  pqxx::connection conn(url);
  pg::migrate(conn, pg::load_migrations(std::filesystem::path(source) / "migrations"));
  return url;
}

const std::string& shared_migrated_database() {
  static const std::string url = fresh_migrated_database();
  return url;
}

std::string new_relay_id() {
  const nostr::Bytes32 b = nostr::random_bytes32();
  std::string hex = b.hex().substr(0, 32);
  hex[12] = '4';  // version 4, variant 10xx: a well-formed random uuid
  hex[16] = "89ab"[b.bytes[31] & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

pg::PoolOptions pool_options(const std::string& url, std::size_t size) {
  pg::PoolOptions o;
  o.url = url;
  o.size = size;
  return o;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nostr::Event signed_event(const nostr::SecretKey& key, nostr::Kind kind, std::int64_t created_at, nostr::Tags tags,
                          std::string content) {
  nostr::EventTemplate t;
  t.kind = kind;
  t.created_at = created_at;
  t.tags = std::move(tags);
  t.content = std::move(content);
  return nostr::sign(t, key);
}

nostr::Filter filter(const std::string& json) {
  auto f = nostr::parse_filter(json);
  if (!f) throw std::runtime_error("test filter does not parse: " + json + ": " + f.error().message);
  return std::move(*f);
}

std::vector<WriteResult> write(EventStore& store, std::vector<WriteRequest> batch) {
  return marina::testing::run_async(
      [&]() -> boost::asio::awaitable<std::vector<WriteResult>> { co_return co_await store.write(std::move(batch)); });
}

std::vector<WriteResult> write(EventStore& store, const std::string& relay_id, const std::vector<nostr::Event>& events,
                               const std::string& relay_url) {
  std::vector<WriteRequest> batch;
  for (const auto& e : events) batch.push_back(WriteRequest{relay_id, e, relay_url});
  return write(store, std::move(batch));
}

WriteResult write_one(EventStore& store, const std::string& relay_id, const nostr::Event& event,
                      const std::string& relay_url) {
  std::vector<nostr::Event> events{event};
  return write(store, relay_id, events, relay_url).at(0);
}

std::vector<std::string> query(EventStore& store, const std::string& relay_id, const std::vector<nostr::Filter>& filters,
                               std::int64_t now) {
  return marina::testing::run_async([&]() -> boost::asio::awaitable<std::vector<std::string>> {
    co_return co_await store.query(relay_id, filters, now);
  });
}

std::uint64_t count(EventStore& store, const std::string& relay_id, const std::vector<nostr::Filter>& filters,
                    std::int64_t now) {
  return marina::testing::run_async(
      [&]() -> boost::asio::awaitable<std::uint64_t> { co_return co_await store.count(relay_id, filters, now); });
}

std::vector<std::string> raws(const std::vector<nostr::Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.raw);
  return out;
}

}  // namespace marina::store::testing
