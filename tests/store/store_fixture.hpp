#pragma once
// What the store's PostgreSQL tests share: a migrated database, relay ids,
// signed events, and a way to run the store's coroutines.
#include <cstdint>
#include <string>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/pg/pool.hpp"
#include "marina/store/event_store.hpp"

namespace marina::store::testing {

// A new database on the shared test server with every migration applied.
std::string fresh_migrated_database();

// One migrated database for the whole test binary; tests isolate themselves
// by relay id (which is also what the store promises to respect).
const std::string& shared_migrated_database();

// A random uuid: a relay no other test uses.
std::string new_relay_id();

pg::PoolOptions pool_options(const std::string& url, std::size_t size = 4);

// Wall clock, unix seconds.
std::int64_t unix_now();

nostr::Event signed_event(const nostr::SecretKey& key, nostr::Kind kind, std::int64_t created_at,
                          nostr::Tags tags = {}, std::string content = "");

// Parses one filter's JSON; fails the test (throws) when it does not parse.
nostr::Filter filter(const std::string& json);

// Store calls run to completion on the calling thread.
std::vector<WriteResult> write(EventStore& store, std::vector<WriteRequest> batch);
std::vector<WriteResult> write(EventStore& store, const std::string& relay_id, const std::vector<nostr::Event>& events,
                               const std::string& relay_url = "wss://test.relay.example");
WriteResult write_one(EventStore& store, const std::string& relay_id, const nostr::Event& event,
                      const std::string& relay_url = "wss://test.relay.example");
std::vector<std::string> query(EventStore& store, const std::string& relay_id, const std::vector<nostr::Filter>& filters,
                               std::int64_t now = unix_now());
std::uint64_t count(EventStore& store, const std::string& relay_id, const std::vector<nostr::Filter>& filters,
                    std::int64_t now = unix_now());

// The raw JSON of `events`, in order (what query() returns for them).
std::vector<std::string> raws(const std::vector<nostr::Event>& events);

}  // namespace marina::store::testing
