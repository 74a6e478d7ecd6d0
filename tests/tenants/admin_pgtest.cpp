// The SQL of admin commands over Nostr against a real PostgreSQL: the replay
// guard (once per relay and id, purged by age), the relay an admin command
// loads (its sealed key and named admins), and stats_query counting one
// relay's events only (another relay's rows never leak into the numbers).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "admin_repository.hpp"
#include "marina/core/clock.hpp"
#include "tenants_fixture.hpp"

namespace marina::tenants {
namespace {

using nlohmann::json;

class AdminSqlTest : public TenantsPgTest {
 protected:
  template <typename F>
  auto in_tx(F f) {
    return run([&]() { return pool_->transaction(f); });
  }
  // A stored event row as the store would write it (only what stats read).
  void insert_event(const std::string& relay_id, const std::string& pubkey_hex, int kind, std::int64_t created_at) {
    static int serial = 0;
    const std::string id = std::to_string(++serial) + std::string(60, '0');
    query("INSERT INTO events (relay_id, id, pubkey, kind, created_at, raw) VALUES ('" + relay_id +
          "', decode(lpad(md5('" + id + relay_id + "'), 64, '0'), 'hex'), decode('" + pubkey_hex + "', 'hex'), " +
          std::to_string(kind) + ", " + std::to_string(created_at) + ", '{}')");
  }
};

std::string hex_id(char c) { return std::string(64, c); }

TEST_F(AdminSqlTest, ARequestIdRunsOncePerRelay) {
  const Relay a = create(new_pubkey(), unique("adm-a"));
  const Relay b = create(new_pubkey(), unique("adm-b"));
  const std::string sender = new_pubkey();
  auto claim = [&](const std::string& relay, const std::string& id) {
    return in_tx([&](pqxx::work& tx) { return admin::claim_request(tx, relay, id, sender); });
  };
  EXPECT_TRUE(claim(a.id, hex_id('1')));
  EXPECT_FALSE(claim(a.id, hex_id('1'))) << "the replay";
  EXPECT_TRUE(claim(b.id, hex_id('1'))) << "the same id on another relay is another request";
  EXPECT_TRUE(claim(a.id, hex_id('2')));
}

TEST_F(AdminSqlTest, OldIdsArePurgedByAge) {
  const Relay a = create(new_pubkey(), unique("adm-purge"));
  const std::string sender = new_pubkey();
  in_tx([&](pqxx::work& tx) { return admin::claim_request(tx, a.id, hex_id('3'), sender); });
  in_tx([&](pqxx::work& tx) { return admin::claim_request(tx, a.id, hex_id('4'), sender); });
  query("UPDATE admin_command_requests SET received_at = now() - interval '2 hours' WHERE relay_id = '" + a.id +
        "' AND request_id = '" + hex_id('3') + "'");
  const auto purged = in_tx([&](pqxx::work& tx) { return admin::purge_requests(tx, std::chrono::hours(1)); });
  EXPECT_GE(purged, 1);
  EXPECT_EQ(query("SELECT request_id FROM admin_command_requests WHERE relay_id = '" + a.id + "'")[0][0].c_str(),
            hex_id('4'));
}

TEST_F(AdminSqlTest, TheRelayComesWithItsSealedKeyAndNamedAdmins) {
  const std::string owner = new_pubkey();
  const std::string extra = new_pubkey();
  const Relay r = create(owner, unique("adm-load"));
  run([&]() { return policy_->update_config(Actor{owner, false}, r.id, json{{"admin_pubkeys", extra}}); });
  const auto loaded = in_tx([&](pqxx::work& tx) { return admin::load_admin_relay(tx, r.id); });
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->relay.tenant_pubkey, owner);
  EXPECT_EQ(loaded->admin_pubkeys, std::vector<std::string>{extra});
  EXPECT_EQ(loaded->sealed_secret.size(), 12u + 32u + 16u) << "nonce, the 32-byte key, tag";
  EXPECT_GT(loaded->created_at_s, 0);
  EXPECT_FALSE(in_tx([&](pqxx::work& tx) { return admin::load_admin_relay(tx, "not-a-uuid"); }));
}

TEST_F(AdminSqlTest, StatsCountThisRelaysEventsOnly) {
  const Relay mine = create(new_pubkey(), unique("adm-stats"));
  const Relay other = create(new_pubkey(), unique("adm-other"));
  const std::int64_t now = core::unix_seconds();
  const std::string alice(64, 'a'), bob(64, 'b');
  insert_event(mine.id, alice, 1, now - 60);               // last 24 h
  insert_event(mine.id, alice, 1, now - 3 * 86400);        // last 7 days
  insert_event(mine.id, alice, 7, now - 20 * 86400);       // last 30 days
  insert_event(mine.id, bob, 1, now - 60 * 86400);         // older
  for (int i = 0; i < 5; ++i) insert_event(other.id, bob, 3, now - 10);  // never counted
  const auto relay = in_tx([&](pqxx::work& tx) { return *admin::load_admin_relay(tx, mine.id); });
  const json stats = json::parse(in_tx([&](pqxx::work& tx) {
    return admin::relay_stats_json(tx, relay, now, admin::StatsLimits{.kinds = 50, .pubkeys = 1});
  }));
  EXPECT_EQ(stats["total_events"], 4);
  EXPECT_EQ(stats["latest_event_at"], now - 60);
  EXPECT_EQ(stats["time_stats"], (json{{"total", 4}, {"last_24h", 1}, {"last_7d", 2}, {"last_30d", 3}}));
  EXPECT_EQ(stats["event_kinds"], (json::array({{{"kind", 1}, {"count", 3}, {"percentage", 75.0}},
                                                {{"kind", 7}, {"count", 1}, {"percentage", 25.0}}})));
  EXPECT_EQ(stats["top_pubkeys"], (json::array({{{"pubkey", alice}, {"event_count", 3}, {"percentage", 75.0}}})))
      << "bounded by StatsLimits::pubkeys, most events first";
  EXPECT_GT(stats["database_size_bytes"].get<std::int64_t>(), 0);
  EXPECT_EQ(stats["database_created_at"], relay.created_at_s);
  const auto size = in_tx([&](pqxx::work& tx) { return admin::relay_size(tx, mine.id); });
  EXPECT_EQ(size.total_events, 4);
  const Relay idle = create(new_pubkey(), unique("adm-e"));
  const auto empty = in_tx([&](pqxx::work& tx) { return admin::relay_size(tx, idle.id); });
  EXPECT_EQ(empty.total_events, 0);
  EXPECT_EQ(empty.database_size_bytes, 0);
}

}  // namespace
}  // namespace marina::tenants
