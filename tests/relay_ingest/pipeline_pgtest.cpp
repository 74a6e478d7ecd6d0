// relay-ingest's pipeline against real PostgreSQL and Redis: what a client
// gets back (the reply relay-query turns into OK), what is stored, and what
// live subscribers receive on marina:events.
#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>

#include "ingest_harness.hpp"
#include "marina/nostr/random.hpp"

namespace marina::relay_ingest::testing {
namespace {

using nostr::SecretKey;

std::map<std::string, streams::IngestReply> by_event_id(const std::vector<streams::IngestReply>& replies) {
  std::map<std::string, streams::IngestReply> out;
  for (const auto& r : replies) out.emplace(r.event_id, r);
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

void wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
}

class Pipeline : public ::testing::Test {
 protected:
  IngestEnv env;
  SecretKey alice = SecretKey::generate();
};

TEST_F(Pipeline, AValidEventIsStoredPublishedAndAnsweredOk) {
  const std::string relay = env.add_relay("alpha");
  const auto event = signed_event(alice, 1, "hello");
  // Added before any consumer group exists: the group starts at 0, so it is not lost.
  env.xadd(request_for(relay, event, "query-1", 42));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = env.wait_replies("query-1", 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].connection, 42u);
  EXPECT_EQ(replies[0].event_id, event.id_hex());
  EXPECT_TRUE(replies[0].accepted);
  EXPECT_EQ(replies[0].message, "");
  EXPECT_TRUE(env.stored(relay, event.id_hex()));
  const auto events = env.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].relay_id, relay);
  EXPECT_EQ(events[0].event_json, event.raw);
  wait_until([&] { return env.pending() == 0; });
  EXPECT_EQ(env.pending(), 0);
  // Done with, the entry is gone from Redis too: marina:ingest holds only work still to do.
  wait_until([&] { return env.command({"XLEN", std::string(streams::kIngestStream)}).as_integer() == 0; });
  EXPECT_EQ(env.command({"XLEN", std::string(streams::kIngestStream)}).as_integer(), 0);
  EXPECT_EQ(metric_value(ingester.metrics(), "marina_relay_events_ingested_total{result=\"stored\"}"), 1);
  EXPECT_EQ(ingester.failure(), "");
}

TEST_F(Pipeline, ForgedEventsAreInvalidAndGoNowhere) {
  const std::string relay = env.add_relay("alpha");
  auto bad_sig = signed_event(alice, 1, "signed by someone else");
  // Same id, another valid-looking signature: only a signature check catches it.
  const auto sig_at = bad_sig.raw.find(bad_sig.sig_hex());
  bad_sig.raw.replace(sig_at, 128, signed_event(alice, 1, "other").sig_hex());
  auto bad_id = signed_event(alice, 1, "original");
  bad_id.raw.replace(bad_id.raw.find("original"), 8, "modified");
  env.xadd(request_for(relay, bad_sig));
  env.xadd(request_for(relay, bad_id));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = by_event_id(env.wait_replies("query-1", 2));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_FALSE(replies.at(bad_sig.id_hex()).accepted);
  EXPECT_EQ(replies.at(bad_sig.id_hex()).message, "invalid: bad signature");
  // The id no longer matches the content; the reply still names the id the client sent.
  EXPECT_FALSE(replies.at(bad_id.id_hex()).accepted);
  EXPECT_TRUE(starts_with(replies.at(bad_id.id_hex()).message, "invalid:")) << replies.at(bad_id.id_hex()).message;
  EXPECT_EQ(env.stored_count(relay), 0u);
  EXPECT_TRUE(env.events().empty());
}

TEST_F(Pipeline, ASuspendedRelayAnswersBlockedWithTheReason) {
  const std::string suspended = env.add_relay("unpaid", "suspended", "the invoice for March is unpaid");
  const std::string inactive = env.add_relay("gone", "inactive");
  const std::string unknown = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  const auto e1 = signed_event(alice, 1, "one");
  const auto e2 = signed_event(alice, 1, "two");
  const auto e3 = signed_event(alice, 1, "three");
  env.xadd(request_for(suspended, e1));
  env.xadd(request_for(inactive, e2));
  env.xadd(request_for(unknown, e3));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = by_event_id(env.wait_replies("query-1", 3));
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_FALSE(replies.at(e1.id_hex()).accepted);
  EXPECT_EQ(replies.at(e1.id_hex()).message, "blocked: the invoice for March is unpaid");
  EXPECT_EQ(replies.at(e2.id_hex()).message, "blocked: this relay is not active");
  EXPECT_EQ(replies.at(e3.id_hex()).message, "blocked: no such relay");
  EXPECT_EQ(env.stored_count(suspended), 0u);
  EXPECT_TRUE(env.events().empty());
}

TEST_F(Pipeline, ASuspensionAnnouncedOnMarinaPlatformAppliesToLaterEvents) {
  const std::string relay = env.add_relay("alpha");
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());
  env.xadd(request_for(relay, signed_event(alice, 1, "before")));
  ASSERT_EQ(env.wait_replies("query-1", 1).size(), 1u);
  ASSERT_TRUE(env.replies("query-1")[0].accepted);

  env.sql("UPDATE relays SET status = 'suspended', status_reason = 'payment overdue' WHERE id = '" + relay + "'");
  streams::PlatformFact fact{std::string(streams::kFactRelaySuspended), relay, "", "{}"};
  std::vector<std::string> xadd{"XADD", std::string(streams::kPlatformStream), "*"};
  for (const auto& [k, v] : fact.encode()) {
    xadd.push_back(k);
    xadd.push_back(v);
  }
  env.command(xadd);
  // The fact is applied asynchronously: within a few seconds events are refused.
  std::string last;
  for (int i = 0; i < 100 && last != "blocked: payment overdue"; ++i) {
    env.xadd(request_for(relay, signed_event(alice, 1, "after " + std::to_string(i))));
    const auto replies = env.wait_replies("query-1", static_cast<std::size_t>(i) + 2);
    last = replies.back().message;
    if (last != "blocked: payment overdue") std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(last, "blocked: payment overdue");
}

TEST_F(Pipeline, EventBoundsAndProtocolRulesAreEnforced) {
  const std::string relay = env.add_relay("alpha");
  auto settings = test_settings();
  settings.relay.limits.max_event_tags = 3;
  settings.relay.limits.max_content_length = 20;
  settings.relay.limits.created_at_lower_seconds = 3600;
  settings.relay.limits.created_at_upper_seconds = 60;
  const std::int64_t now = unix_now();
  const nostr::Tags four_tags{{"t", "a"}, {"t", "b"}, {"t", "c"}, {"t", "d"}};
  const auto too_many_tags = signed_event(alice, 1, "x", four_tags);
  const auto too_long = signed_event(alice, 1, std::string(21, 'x'));
  const auto too_old = signed_event(alice, 1, "old", {}, now - 3700);
  const auto too_new = signed_event(alice, 1, "new", {}, now + 120);
  // Past the default grace (nip40_expiration_grace_period, 300 s).
  const auto expired = signed_event(alice, 1, "gone", {{"expiration", std::to_string(now - 400)}});
  const auto expiring = signed_event(alice, 1, "soon", {{"expiration", std::to_string(now + 3600)}});
  const auto protected_anonymous = signed_event(alice, 1, "mine", {{"-"}});
  const auto protected_authed = signed_event(alice, 1, "mine too", {{"-"}});
  for (const auto* e : {&too_many_tags, &too_long, &too_old, &too_new, &expired, &expiring, &protected_anonymous}) {
    env.xadd(request_for(relay, *e));
  }
  auto authed = request_for(relay, protected_authed);
  authed.auth_pubkeys = {nostr::random_bytes32().hex(),
                         protected_authed.pubkey_hex()};
  env.xadd(authed);
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);

  const auto replies = by_event_id(env.wait_replies("query-1", 8));
  ASSERT_EQ(replies.size(), 8u);
  EXPECT_EQ(replies.at(too_many_tags.id_hex()).message, "invalid: too many tags (4, at most 3)");
  EXPECT_EQ(replies.at(too_long.id_hex()).message, "invalid: content too long (21 bytes, at most 20)");
  EXPECT_EQ(replies.at(too_old.id_hex()).message, "invalid: created_at is more than 3600 seconds in the past");
  EXPECT_EQ(replies.at(too_new.id_hex()).message, "invalid: created_at is more than 60 seconds in the future");
  EXPECT_EQ(replies.at(expired.id_hex()).message, "invalid: event has expired");
  EXPECT_TRUE(replies.at(expiring.id_hex()).accepted);
  EXPECT_EQ(replies.at(protected_anonymous.id_hex()).message,
            "auth-required: this event may only be published by its author");
  EXPECT_TRUE(replies.at(protected_authed.id_hex()).accepted);
  for (const auto& [id, r] : replies) EXPECT_EQ(env.stored(relay, id), r.accepted) << r.message;
  EXPECT_EQ(env.events().size(), 2u);
}

// expires_at of a stored event: nullopt when the row has none.
std::optional<std::int64_t> stored_expiration(const IngestEnv& env, const std::string& relay, const std::string& id) {
  pqxx::connection conn(env.db_url());
  pqxx::nontransaction tx(conn);
  const auto row =
      tx.exec_params1("SELECT expires_at FROM events WHERE relay_id = $1::uuid AND id = decode($2, 'hex')", relay, id);
  if (row[0].is_null()) return std::nullopt;
  return row[0].as<std::int64_t>();
}

TEST_F(Pipeline, EachRelaysConfigurationAndRulesDecide) {
  const std::string ruled = env.add_relay("ruled");
  const std::string no_nip40 = env.add_relay("plain");
  const SecretKey mallory = SecretKey::generate();
  env.sql("INSERT INTO relay_config (relay_id, key, value) VALUES ('" + ruled + "', 'auth_enabled', 'true'), ('" +
          ruled + "', 'pow_mode', 'required'), ('" + ruled + "', 'pow_min_difficulty', '30'), ('" + no_nip40 +
          "', 'nip40_expiration_enabled', 'false')");
  env.sql("INSERT INTO relay_auth_rules (relay_id, rule_type, pattern_type, pattern_value) VALUES ('" + ruled +
          "', 'blacklist', 'pubkey', '" + nostr::public_key(mallory).hex() + "')");
  const std::int64_t now = unix_now();
  const auto banned = signed_event(mallory, 1, "spam");
  const auto no_work = signed_event(alice, 1, "lazy");
  const auto within_grace = signed_event(alice, 1, "just gone", {{"expiration", std::to_string(now - 60)}});
  const auto ignored_expiry = signed_event(alice, 1, "old news", {{"expiration", std::to_string(now - 4000)}});
  env.xadd(request_for(ruled, banned));
  env.xadd(request_for(ruled, no_work));
  env.xadd(request_for(no_nip40, within_grace));
  env.xadd(request_for(no_nip40, ignored_expiry));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = by_event_id(env.wait_replies("query-1", 4));
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies.at(banned.id_hex()).message, "blocked: this pubkey is blacklisted on this relay");
  const std::string& pow = replies.at(no_work.id_hex()).message;
  EXPECT_TRUE(starts_with(pow, "pow: difficulty ") && pow.ends_with(" is less than 30")) << pow;
  EXPECT_TRUE(replies.at(within_grace.id_hex()).accepted);
  EXPECT_TRUE(replies.at(ignored_expiry.id_hex()).accepted);
  // NIP-40 off: stored as any event, with no expiration to purge it by.
  EXPECT_EQ(stored_expiration(env, no_nip40, ignored_expiry.id_hex()), std::nullopt);
  EXPECT_EQ(stored_expiration(env, no_nip40, within_grace.id_hex()), std::nullopt);
  EXPECT_EQ(metric_value(ingester.metrics(), "marina_relay_events_refused_total{reason=\"pubkey_blacklisted\"}"), 1);
  EXPECT_EQ(metric_value(ingester.metrics(), "marina_relay_events_refused_total{reason=\"pow_difficulty\"}"), 1);
}

TEST_F(Pipeline, AnEventInsideTheExpirationGraceIsStoredWithItsExpiration) {
  const std::string relay = env.add_relay("alpha");
  const std::int64_t expires = unix_now() - 60;
  const auto late = signed_event(alice, 1, "late", {{"expiration", std::to_string(expires)}});
  env.xadd(request_for(relay, late));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());
  const auto replies = env.wait_replies("query-1", 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].accepted) << replies[0].message;
  // Accepted within the default 300 s of grace; hidden from reads and purged like any expired event.
  EXPECT_EQ(stored_expiration(env, relay, late.id_hex()), expires);
}

TEST_F(Pipeline, EventsPastThePerPubkeyOrPerIpRateAreRateLimited) {
  const std::string relay = env.add_relay("alpha");
  auto settings = test_settings();
  settings.relay.limits.events_per_minute_per_pubkey = 3;
  settings.relay.limits.events_per_minute_per_ip = 5;
  std::vector<nostr::Event> from_alice, from_many;
  for (int i = 0; i < 5; ++i) {
    from_alice.push_back(signed_event(alice, 1, "alice " + std::to_string(i)));
    env.xadd(request_for(relay, from_alice.back(), "query-1", 1, "10.0.0.1"));
  }
  for (int i = 0; i < 7; ++i) {
    from_many.push_back(signed_event(SecretKey::generate(), 1, "crowd " + std::to_string(i)));
    env.xadd(request_for(relay, from_many.back(), "query-1", 2, "10.0.0.2"));
  }
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);

  const auto replies = by_event_id(env.wait_replies("query-1", 12));
  ASSERT_EQ(replies.size(), 12u);
  for (int i = 0; i < 5; ++i) {
    const auto& r = replies.at(from_alice[i].id_hex());
    if (i < 3) {
      EXPECT_TRUE(r.accepted) << i;
    } else {
      EXPECT_FALSE(r.accepted) << i;
      EXPECT_EQ(r.message, "rate-limited: too many events from this pubkey, slow down");
    }
  }
  for (int i = 0; i < 7; ++i) {
    const auto& r = replies.at(from_many[i].id_hex());
    if (i < 5) {
      EXPECT_TRUE(r.accepted) << i;
    } else {
      EXPECT_FALSE(r.accepted) << i;
      EXPECT_EQ(r.message, "rate-limited: too many events from your IP address, slow down");
    }
  }
  EXPECT_EQ(env.stored_count(relay), 8u);
  EXPECT_EQ(metric_value(ingester.metrics(), "marina_relay_events_ingested_total{result=\"rate-limited\"}"), 4);
}

// A relay's plan caps its clients together (plans.max_events_per_minute),
// whoever sends: here four authors from four addresses, each under its own bounds.
TEST_F(Pipeline, EventsPastTheRelaysPlanRateAreRateLimited) {
  const std::string relay = env.add_relay("capped");
  env.sql("INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions, "
          "max_events_per_minute, max_whitelist_rules) VALUES ('tiny', 'Tiny', 1, 1000, 10, 100, 3, 10)");
  env.sql("UPDATE relays SET plan = 'tiny' WHERE id = '" + relay + "'");
  std::vector<nostr::Event> events;
  for (int i = 0; i < 5; ++i) {
    events.push_back(signed_event(SecretKey::generate(), 1, "crowd " + std::to_string(i)));
    env.xadd(request_for(relay, events.back(), "query-1", static_cast<std::uint64_t>(i + 1),
                         "10.0.1." + std::to_string(i)));
  }
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = by_event_id(env.wait_replies("query-1", 5));
  ASSERT_EQ(replies.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    const auto& r = replies.at(events[i].id_hex());
    if (i < 3) {
      EXPECT_TRUE(r.accepted) << i << ": " << r.message;
    } else {
      EXPECT_FALSE(r.accepted) << i;
      EXPECT_EQ(r.message, "rate-limited: this relay's plan (Tiny) takes at most 3 events per minute; try again later");
    }
  }
  EXPECT_EQ(env.stored_count(relay), 3u);
}

// The owner's import (tenants, POST .../import) restores an archive: one
// author's years of events at once. Rate limits and the lower created_at
// bound are for clients; the other rules still hold for an import.
TEST_F(Pipeline, AnOwnersImportIsNotHeldToClientRateLimitsOrAge) {
  const std::string relay = env.add_relay("alpha");
  auto settings = test_settings();
  settings.relay.limits.events_per_minute_per_pubkey = 2;
  settings.relay.limits.events_per_minute_per_ip = 3;
  settings.relay.limits.created_at_lower_seconds = 3600;
  settings.relay.limits.created_at_upper_seconds = 60;
  const std::int64_t now = unix_now();
  std::vector<nostr::Event> archive;
  for (int i = 0; i < 6; ++i) {
    archive.push_back(signed_event(alice, 1, "archived " + std::to_string(i), {}, now - 86400 * 365 * (i + 1)));
    auto r = request_for(relay, archive.back(), "tenants-import-x", 10 + i, "10.0.0.9");
    r.imported = true;
    env.xadd(r);
  }
  const auto tomorrow = signed_event(alice, 1, "tomorrow", {}, now + 86400);
  auto future = request_for(relay, tomorrow, "tenants-import-x", 20, "10.0.0.9");
  future.imported = true;
  env.xadd(future);
  // The same kind of event from a client is refused, and a client is still limited.
  const auto old_from_client = signed_event(alice, 1, "old", {}, now - 7200);
  env.xadd(request_for(relay, old_from_client, "query-1", 1, "10.0.0.9"));
  std::vector<nostr::Event> live;
  for (int i = 0; i < 3; ++i) {
    live.push_back(signed_event(alice, 1, "live " + std::to_string(i)));
    env.xadd(request_for(relay, live.back(), "query-1", 1, "10.0.0.9"));
  }
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);

  const auto imported = by_event_id(env.wait_replies("tenants-import-x", 7));
  ASSERT_EQ(imported.size(), 7u);
  for (const auto& e : archive) {
    EXPECT_TRUE(imported.at(e.id_hex()).accepted) << imported.at(e.id_hex()).message;
    EXPECT_TRUE(env.stored(relay, e.id_hex()));
  }
  EXPECT_EQ(imported.at(tomorrow.id_hex()).message, "invalid: created_at is more than 60 seconds in the future");
  const auto clients = by_event_id(env.wait_replies("query-1", 4));
  ASSERT_EQ(clients.size(), 4u);
  EXPECT_EQ(clients.at(old_from_client.id_hex()).message, "invalid: created_at is more than 3600 seconds in the past");
  EXPECT_TRUE(clients.at(live[0].id_hex()).accepted);
  EXPECT_TRUE(clients.at(live[1].id_hex()).accepted);
  EXPECT_EQ(clients.at(live[2].id_hex()).message, "rate-limited: too many events from this pubkey, slow down");
}

TEST_F(Pipeline, EphemeralEventsArePublishedButNeverStored) {
  const std::string relay = env.add_relay("alpha");
  const auto ephemeral = signed_event(alice, 20001, "typing...");
  env.xadd(request_for(relay, ephemeral));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = env.wait_replies("query-1", 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].accepted);
  EXPECT_EQ(replies[0].message, "");
  EXPECT_FALSE(env.stored(relay, ephemeral.id_hex()));
  const auto events = env.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_json, ephemeral.raw);
}

// seed 004's admin commands: a 23456 naming the relay's own key is answered
// OK, neither stored nor broadcast, and handed to tenants on marina:admin as
// received; one naming another key is an ordinary ephemeral event.
TEST_F(Pipeline, AnAdminCommandForTheRelayGoesToMarinaAdminOnly) {
  const std::string relay = env.add_relay("alpha");
  pqxx::connection conn(env.db_url());
  pqxx::work tx(conn);
  const std::string relay_key = tx.exec_params1("SELECT relay_pubkey FROM relays WHERE id = $1::uuid", relay)[0].c_str();
  tx.commit();
  const auto command = signed_event(alice, 23456, "ciphertext", {{"p", relay_key}});
  const auto elsewhere = signed_event(alice, 23456, "ciphertext", {{"p", std::string(64, 'c')}});
  env.xadd(request_for(relay, command));
  env.xadd(request_for(relay, elsewhere));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = by_event_id(env.wait_replies("query-1", 2));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_TRUE(replies.at(command.id_hex()).accepted);
  EXPECT_EQ(replies.at(command.id_hex()).message, "");
  EXPECT_TRUE(replies.at(elsewhere.id_hex()).accepted);
  EXPECT_FALSE(env.stored(relay, command.id_hex()));
  const auto events = env.events();
  ASSERT_EQ(events.size(), 1u) << "only the one for someone else is broadcast";
  EXPECT_EQ(events[0].event_json, elsewhere.raw);
  const redis::Reply admin = env.command({"XRANGE", std::string(streams::kAdminStream), "-", "+"});
  const auto entries = redis::parse_entries(admin);
  ASSERT_EQ(entries.size(), 1u);
  const auto request = streams::AdminRequest::decode(entries[0].fields);
  EXPECT_EQ(request.relay_id, relay);
  EXPECT_EQ(request.event_json, command.raw);
  EXPECT_GT(request.received_ms, 0);
}

TEST_F(Pipeline, AResentEventIsADuplicateAndIsNotPublishedAgain) {
  const std::string relay = env.add_relay("alpha");
  const auto event = signed_event(alice, 1, "once");
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());
  env.xadd(request_for(relay, event));
  ASSERT_EQ(env.wait_replies("query-1", 1).size(), 1u);
  env.xadd(request_for(relay, event));
  const auto replies = env.wait_replies("query-1", 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_TRUE(replies[1].accepted);
  EXPECT_EQ(replies[1].message, "duplicate: already have this event");
  EXPECT_EQ(env.events().size(), 1u);
}

TEST_F(Pipeline, EventsArePublishedAndAnsweredInTheOrderTheyArrived) {
  const std::string a = env.add_relay("alpha");
  const std::string b = env.add_relay("beta");
  auto settings = test_settings();
  settings.batch_size = 16;  // many batches, overlapping with the reads
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);
  std::vector<nostr::Event> sent;
  for (int i = 0; i < 300; ++i) {
    sent.push_back(signed_event(alice, 1, "note " + std::to_string(i)));
    env.xadd(request_for(i % 3 == 0 ? b : a, sent.back()));
  }
  const auto replies = env.wait_replies("query-1", 300, 60s);
  ASSERT_EQ(replies.size(), 300u);
  const auto events = env.events();
  ASSERT_EQ(events.size(), 300u);
  for (std::size_t i = 0; i < 300; ++i) {
    EXPECT_EQ(replies[i].event_id, sent[i].id_hex()) << i;
    EXPECT_TRUE(replies[i].accepted) << i;
    EXPECT_EQ(events[i].event_json, sent[i].raw) << i;
    EXPECT_EQ(events[i].relay_id, i % 3 == 0 ? b : a) << i;
  }
}

TEST_F(Pipeline, AnEventTheDatabaseRefusesFailsAloneAndTheRestIsStored) {
  const std::string relay = env.add_relay("alpha");
  // Stands for any value the database cannot take: refused by a trigger.
  env.sql(R"SQL(
CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.raw LIKE '%poison-pill%' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison();
)SQL");
  std::vector<nostr::Event> sent;
  for (int i = 0; i < 20; ++i) {
    sent.push_back(signed_event(alice, 1, i == 7 ? "a poison-pill" : "fine " + std::to_string(i)));
    env.xadd(request_for(relay, sent.back()));
  }
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = env.wait_replies("query-1", 20);
  ASSERT_EQ(replies.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(replies[i].event_id, sent[i].id_hex());
    if (i == 7) {
      EXPECT_FALSE(replies[i].accepted);
      EXPECT_EQ(replies[i].message, "error: the relay could not store this event");
    } else {
      EXPECT_TRUE(replies[i].accepted) << i << " " << replies[i].message;
    }
  }
  EXPECT_EQ(env.stored_count(relay), 19u);
  EXPECT_EQ(env.events().size(), 19u);
  EXPECT_GT(metric_value(ingester.metrics(), "marina_ingest_batch_splits_total"), 0);
  wait_until([&] { return env.pending() == 0; });
  EXPECT_EQ(env.pending(), 0);
}

TEST_F(Pipeline, ABrokenStreamEntryIsAckedAndSkipped) {
  const std::string relay = env.add_relay("alpha");
  env.xadd_fields({{"v", "1"}, {"garbage", "x"}});
  env.xadd_fields({{"v", "99"}, {"relay", relay}});
  const auto event = signed_event(alice, 1, "after the garbage");
  env.xadd(request_for(relay, event));
  RunningIngester ingester(env.db_url(), env.redis_url(), test_settings());

  const auto replies = env.wait_replies("query-1", 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].accepted);
  wait_until([&] { return env.pending() == 0; });
  EXPECT_EQ(env.pending(), 0);
  std::this_thread::sleep_for(200ms);  // nothing comes back for the broken entries
  EXPECT_EQ(env.replies("query-1").size(), 1u);
  EXPECT_EQ(metric_value(ingester.metrics(), "marina_ingest_malformed_entries_total"), 2);
}

TEST_F(Pipeline, EventsPastTheirExpirationArePurgedInTheBackground) {
  const std::string relay = env.add_relay("alpha");
  auto settings = test_settings();
  settings.purge_interval = 200ms;
  const auto soon = signed_event(alice, 1, "gone in a second", {{"expiration", std::to_string(unix_now() + 1)}});
  const auto later = signed_event(alice, 1, "stays", {{"expiration", std::to_string(unix_now() + 3600)}});
  env.xadd(request_for(relay, soon));
  env.xadd(request_for(relay, later));
  RunningIngester ingester(env.db_url(), env.redis_url(), settings);
  ASSERT_EQ(env.wait_replies("query-1", 2).size(), 2u);
  ASSERT_TRUE(env.replies("query-1")[0].accepted);
  wait_until([&] { return !env.stored(relay, soon.id_hex()); }, 10s);
  EXPECT_FALSE(env.stored(relay, soon.id_hex()));
  EXPECT_TRUE(env.stored(relay, later.id_hex()));
  EXPECT_GE(metric_value(ingester.metrics(), "marina_ingest_expired_events_purged_total"), 1);
}

TEST_F(Pipeline, StoppingFinishesWhatWasReadAndARestartProcessesTheRest) {
  const std::string relay = env.add_relay("alpha");
  auto settings = test_settings();
  settings.batch_size = 50;
  for (int i = 0; i < 1000; ++i) env.xadd(request_for(relay, signed_event(alice, 1, "n" + std::to_string(i))));
  {
    RunningIngester ingester(env.db_url(), env.redis_url(), settings);
    env.wait_replies("query-1", 100);
    ingester.stop();
    // Nothing it read is left unfinished.
    EXPECT_EQ(env.pending(), 0);
    EXPECT_EQ(env.replies("query-1").size(), env.stored_count(relay));
  }
  RunningIngester again(env.db_url(), env.redis_url(), settings);
  const auto replies = env.wait_replies("query-1", 1000, 60s);
  EXPECT_EQ(replies.size(), 1000u);
  EXPECT_EQ(env.stored_count(relay), 1000u);
  for (const auto& r : replies) EXPECT_TRUE(r.accepted) << r.message;
}

}  // namespace
}  // namespace marina::relay_ingest::testing
