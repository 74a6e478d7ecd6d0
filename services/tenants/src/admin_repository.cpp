#include "admin_repository.hpp"

#include "marina/nostr/hex.hpp"
#include "marina/relay/relay_config.hpp"
#include "marina/store/relay_policy.hpp"
#include "repository.hpp"

namespace marina::tenants::admin {

namespace {

// The relay's share of the events tables, estimated from its event count and
// the average stored size of an event (table, tags, indexes and TOAST of all
// partitions over their row estimate): exact sizes per relay would mean
// reading every row, and the estimate costs two catalogue lookups.
// Tables never analyzed yet (reltuples -1: a young platform) have no
// average: then the relay's rows are measured (pg_column_size of each).
const char* const kSizeSql =
    "(SELECT CASE WHEN rows > 0 THEN (bytes / rows * $T)::bigint"
    "  ELSE (SELECT coalesce(sum(pg_column_size(e.*)), 0)::bigint FROM events e WHERE e.relay_id = $1::uuid) END FROM ("
    "  SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::float8 AS bytes,"
    "         coalesce(sum(greatest(c.reltuples, 0)) FILTER (WHERE i.inhparent = 'events'::regclass), 0)::float8 AS rows"
    "  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
    "  WHERE i.inhparent IN ('events'::regclass, 'event_tags'::regclass)) s)";

std::string size_sql(const std::string& total_expr) {
  std::string sql = kSizeSql;
  sql.replace(sql.find("$T"), 2, total_expr);
  return sql;
}

}  // namespace

std::optional<AdminRelay> load_admin_relay(pqxx::work& tx, const std::string& relay_id) {
  auto relay = repo::find_relay(tx, relay_id, std::nullopt);
  if (!relay) return std::nullopt;
  const auto row = tx.exec_params1(
      "SELECT encode(relay_secret_enc, 'hex'), extract(epoch FROM created_at)::bigint FROM relays WHERE id = $1::uuid",
      relay->id);
  AdminRelay out;
  const auto sealed = nostr::hex_decode(row[0].c_str());
  if (sealed) out.sealed_secret.assign(sealed->begin(), sealed->end());
  out.created_at_s = row[1].as<std::int64_t>();
  // Only admin_pubkeys is read: RelayConfig parses every row the way the
  // relay services do (an invalid stored value counts as the default).
  const auto config = relay::RelayConfig::build(store::load_config_rows(tx, relay->id),
                                                {relay->subdomain, relay->name, relay->description}, nullptr);
  out.admin_pubkeys = config.admin_pubkeys;
  out.relay = std::move(*relay);
  return out;
}

bool claim_request(pqxx::work& tx, const std::string& relay_id, const std::string& request_id,
                   const std::string& sender) {
  return tx
             .exec_params0(
                 "INSERT INTO admin_command_requests (relay_id, request_id, sender) VALUES ($1::uuid, $2, $3) "
                 "ON CONFLICT DO NOTHING",
                 relay_id, request_id, sender)
             .affected_rows() == 1;
}

std::int64_t purge_requests(pqxx::work& tx, std::chrono::seconds retention) {
  return tx
      .exec_params0("DELETE FROM admin_command_requests WHERE received_at < now() - make_interval(secs => $1)",
                    static_cast<double>(retention.count()))
      .affected_rows();
}

std::string relay_stats_json(pqxx::work& tx, const AdminRelay& relay, std::int64_t now_s, const StatsLimits& limits) {
  // Every part reads one index of the relay's own rows (events_by_kind,
  // events_by_author, events_by_time: index-only scans, the relay's
  // partition only).
  const std::string sql =
      "WITH totals AS (SELECT count(*) AS total, max(created_at) AS latest FROM events WHERE relay_id = $1::uuid),"
      " kinds AS (SELECT kind, count(*) AS n FROM events WHERE relay_id = $1::uuid GROUP BY kind"
      "           ORDER BY n DESC, kind LIMIT $3::bigint),"
      " authors AS (SELECT pubkey, count(*) AS n FROM events WHERE relay_id = $1::uuid GROUP BY pubkey"
      "             ORDER BY n DESC, pubkey LIMIT $4::bigint),"
      " recent AS (SELECT count(*) FILTER (WHERE created_at >= $2::bigint - 86400) AS d1,"
      "                   count(*) FILTER (WHERE created_at >= $2::bigint - 7 * 86400) AS d7,"
      "                   count(*) AS d30"
      "            FROM events WHERE relay_id = $1::uuid AND created_at >= $2::bigint - 30 * 86400)"
      " SELECT json_build_object("
      "  'database_size_bytes', " + size_sql("(SELECT total FROM totals)") + ","
      "  'total_events', t.total,"
      "  'database_created_at', $5::bigint,"
      "  'latest_event_at', t.latest,"
      "  'event_kinds', coalesce((SELECT json_agg(json_build_object('kind', kind, 'count', n,"
      "       'percentage', round(100.0 * n / greatest(t.total, 1), 1)) ORDER BY n DESC, kind) FROM kinds), '[]'),"
      "  'time_stats', (SELECT json_build_object('total', t.total, 'last_24h', d1, 'last_7d', d7, 'last_30d', d30)"
      "       FROM recent),"
      "  'top_pubkeys', coalesce((SELECT json_agg(json_build_object('pubkey', encode(pubkey, 'hex'), 'event_count', n,"
      "       'percentage', round(100.0 * n / greatest(t.total, 1), 1)) ORDER BY n DESC, pubkey) FROM authors), '[]')"
      " )::text FROM totals t";
  return tx
      .exec_params1(sql, relay.relay.id, now_s, static_cast<std::int64_t>(limits.kinds),
                    static_cast<std::int64_t>(limits.pubkeys), relay.created_at_s)[0]
      .c_str();
}

RelaySize relay_size(pqxx::work& tx, const std::string& relay_id) {
  const std::string sql = "WITH totals AS (SELECT count(*) AS total FROM events WHERE relay_id = $1::uuid) SELECT " +
                          size_sql("(SELECT total FROM totals)") + ", (SELECT total FROM totals)";
  const auto row = tx.exec_params1(sql, relay_id);
  return RelaySize{row[0].as<std::int64_t>(), row[1].as<std::int64_t>()};
}

}  // namespace marina::tenants::admin
