#pragma once
// The relays the relay services serve, cached in memory.
//
// relay-query and relay-ingest look a relay up on every connection and every
// event, so the directory answers from memory: it loads every relay from
// PostgreSQL at start (load_all), is kept current by the facts on
// marina:platform (refresh(id) for each relay fact the service reads; both
// driven by platform::RelayDirectorySync), and looks up a subdomain it does
// not know in the database once, remembering a miss for `negative_ttl` so a
// flood of unknown hosts does not become a flood of queries. Safe to use from
// several threads.
//
// The unit it caches and replaces is a whole `Relay` (relay.hpp): whatever a
// relay carries is read by one function of relay_directory.cpp
// (`read_relays`), so every load, refresh and lookup brings all of it.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "marina/store/relay.hpp"

namespace marina::pg { class Pool; }

namespace marina::store {

class RelayDirectory {
 public:
  explicit RelayDirectory(pg::Pool& pool, std::chrono::milliseconds negative_ttl = std::chrono::seconds(5));

  // Replaces the cache with every relay in the database.
  boost::asio::awaitable<void> load_all();
  // Re-reads one relay (after a fact about it); drops it when it no longer
  // exists. Returns what the directory now holds for it (nullptr: nothing).
  boost::asio::awaitable<std::shared_ptr<const Relay>> refresh(const std::string& relay_id);

  // By subdomain (lower-cased by the caller). nullptr when no such relay.
  boost::asio::awaitable<std::shared_ptr<const Relay>> by_subdomain(const std::string& subdomain);
  boost::asio::awaitable<std::shared_ptr<const Relay>> by_id(const std::string& relay_id);
  // What the directory holds for a canonical relay id now, without reading
  // the database (nullptr: not loaded). For paths that must not wait.
  std::shared_ptr<const Relay> cached_by_id(const std::string& relay_id) const;

  std::size_t size() const;

 private:
  void put(std::shared_ptr<const Relay> relay);

  pg::Pool& pool_;
  std::chrono::milliseconds negative_ttl_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Relay>> by_id_;
  std::unordered_map<std::string, std::shared_ptr<const Relay>> by_subdomain_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> misses_;
};

}  // namespace marina::store
