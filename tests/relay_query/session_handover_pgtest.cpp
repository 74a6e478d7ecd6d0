// A REQ's hand-over from stored events to live ones, in process against real
// PostgreSQL and Redis. The test holds an ACCESS EXCLUSIVE lock on `events`
// so the REQ's stored query waits while the test publishes on marina:events
// as relay-ingest does: what arrives in that window is sent once, never lost
// and never repeated.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "marina/nostr/keys.hpp"
#include "query_harness.hpp"

namespace marina::relay_query::testing {
namespace {

using json = nlohmann::json;

const char* const kBuffered = "marina_relay_query_live_events_total{result=\"buffered\"}";

// Holds the lock that makes every query on `events` wait, until released.
class EventsLock {
 public:
  explicit EventsLock(const std::string& db_url) : conn_(db_url), tx_(conn_) {
    tx_.exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
  }
  void release() { tx_.abort(); }

 private:
  pqxx::connection conn_;
  pqxx::work tx_;
};

// True once another session waits for a lock (the REQ's query).
bool query_waits(const IngestEnv& env) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  pqxx::connection conn(env.db_url());
  for (;;) {
    pqxx::nontransaction tx(conn);
    if (tx.exec1("SELECT count(*) FROM pg_locks WHERE NOT granted")[0].as<int>() > 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

// The event row relay-ingest would have written (a kind-1 event without tags).
void store(const IngestEnv& env, const std::string& relay_id, const nostr::Event& event) {
  pqxx::connection conn(env.db_url());
  pqxx::work tx(conn);
  tx.exec_params(
      "INSERT INTO events (relay_id, id, pubkey, kind, created_at, raw) "
      "VALUES ($1::uuid, decode($2, 'hex'), decode($3, 'hex'), $4, $5, $6)",
      relay_id, event.id.hex(), event.pubkey.hex(), static_cast<int>(event.kind), event.created_at, event.raw);
  tx.commit();
}

// Sends REQ "h" for kind-1 events while `events` is locked, publishes `event`
// while the REQ's stored query waits, and lets the query go once the fan-out
// has buffered the event for the REQ.
void publish_while_the_query_waits(OneConnection& t, const nostr::Event& event) {
  EventsLock lock(t.env.db_url());
  t.client.send(std::string(R"(["REQ","h",{"kinds":[1]}])"));
  ASSERT_TRUE(query_waits(t.env));
  publish_accepted(t.env, t.relay_id, event);
  ASSERT_TRUE(t.gateway.wait_metric(kBuffered, 1));
  lock.release();
}

json event_message(const std::string& sub, const nostr::Event& event) {
  return json::array({"EVENT", sub, json::parse(event.raw)});
}

TEST(SessionHandover, EventPublishedWhileTheQueryRunsFollowsEose) {
  OneConnection t("handover", test_settings());
  const auto key = nostr::SecretKey::generate();
  const nostr::Event during = signed_event(key, 1, "committed after the query's snapshot");
  const nostr::Event after = signed_event(key, 1, "published after EOSE");

  ASSERT_NO_FATAL_FAILURE(publish_while_the_query_waits(t, during));

  EXPECT_EQ(t.client.read(), json::parse(R"(["EOSE","h"])"));
  EXPECT_EQ(t.client.read(), event_message("h", during));
  publish_accepted(t.env, t.relay_id, after);
  EXPECT_EQ(t.client.read(), event_message("h", after));
}

TEST(SessionHandover, EventStoredAndPublishedWhileTheQueryRunsIsSentOnce) {
  OneConnection t("once", test_settings());
  const auto key = nostr::SecretKey::generate();
  const nostr::Event both = signed_event(key, 1, "in the query's results and in the backlog");
  const nostr::Event after = signed_event(key, 1, "published after EOSE");
  store(t.env, t.relay_id, both);

  ASSERT_NO_FATAL_FAILURE(publish_while_the_query_waits(t, both));

  EXPECT_EQ(t.client.read(), event_message("h", both));
  EXPECT_EQ(t.client.read(), json::parse(R"(["EOSE","h"])"));
  // The backlog's copy was skipped: the next message is the next event.
  publish_accepted(t.env, t.relay_id, after);
  EXPECT_EQ(t.client.read(), event_message("h", after));
}

}  // namespace
}  // namespace marina::relay_query::testing
