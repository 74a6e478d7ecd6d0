#include "repository.hpp"

#include "marina/core/uuid_text.hpp"
#include "marina/http/error.hpp"
#include "marina/nostr/hex.hpp"

namespace marina::tenants::repo {
namespace {

// Timestamps as RFC 3339 UTC with microseconds; cursors as unix microseconds,
// exact (no floating point) so a page boundary never skips or repeats a row.
constexpr const char* kTs = R"(to_char(%1$s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))";

std::string ts(const std::string& column) { return rfc3339_sql(column); }

std::string micros(const std::string& column) {
  return "((extract(epoch FROM date_trunc('second', " + column + "))::bigint * 1000000) + extract(microseconds FROM " +
         column + ")::bigint % 1000000)";
}

const std::string kCursorTime = "('epoch'::timestamptz + $%d::bigint * interval '1 microsecond')";

std::string cursor_time(int param) {
  char buf[128];
  std::snprintf(buf, sizeof buf, kCursorTime.c_str(), param);
  return buf;
}

const std::string kTenantColumns = "t.pubkey, t.status, " + ts("t.created_at") +
                                   ", (SELECT count(*) FROM relays r WHERE r.tenant_pubkey = t.pubkey), " +
                                   micros("t.created_at") + ", t.status_reason";

Tenant tenant_from(const pqxx::row& row) {
  Tenant t;
  t.pubkey = row[0].c_str();
  t.status = row[1].c_str();
  t.created_at = row[2].c_str();
  t.relays_count = row[3].as<std::int64_t>();
  t.cursor = std::to_string(row[4].as<std::int64_t>()) + "." + t.pubkey;
  t.status_reason = row[5].c_str();
  return t;
}

const std::string kRelayColumns = "r.id::text, r.tenant_pubkey, r.subdomain, r.name, r.description, r.plan, r.status, "
                                  "r.status_reason, r.relay_pubkey, " +
                                  ts("r.created_at") + ", " + ts("r.updated_at") + ", " + micros("r.created_at");

Relay relay_from(const pqxx::row& row) {
  Relay r;
  r.id = row[0].c_str();
  r.tenant_pubkey = row[1].c_str();
  r.subdomain = row[2].c_str();
  r.name = row[3].c_str();
  r.description = row[4].c_str();
  r.plan = row[5].c_str();
  r.status = row[6].c_str();
  r.status_reason = row[7].c_str();
  r.relay_pubkey = row[8].c_str();
  r.created_at = row[9].c_str();
  r.updated_at = row[10].c_str();
  r.cursor = std::to_string(row[11].as<std::int64_t>()) + "." + r.id;
  return r;
}

TimeCursor decode_cursor(const PageRequest& page, bool uuid_key) {
  auto c = parse_time_cursor(*page.cursor);
  const bool key_ok = c && (uuid_key ? core::is_uuid(c->key) : nostr::is_lower_hex(c->key, 64));
  if (!key_ok) throw http::Error(400, "invalid-cursor", "Invalid cursor", "Use the next_cursor of a previous page.");
  return *c;
}

// Keyset pagination in (created_at, key) order: the condition for the rows
// after the page's cursor, on parameters $first (the cursor's microseconds)
// and $first+1 (its key). Without a cursor both parameters are NULL and the
// condition holds for every row.
struct PageAfter {
  std::string sql;
  std::optional<std::int64_t> micros;
  std::optional<std::string> key;
};

PageAfter page_after(const PageRequest& page, const std::string& created_at_column, const std::string& key_column,
                     int first, bool uuid_key) {
  const std::string at = "$" + std::to_string(first), key = "$" + std::to_string(first + 1);
  if (!page.cursor) return {" AND " + at + "::bigint IS NULL AND " + key + "::text IS NULL", {}, {}};
  const TimeCursor c = decode_cursor(page, uuid_key);
  return {" AND (" + created_at_column + ", " + key_column + ") > (" + cursor_time(first) + ", " + key +
              (uuid_key ? "::uuid" : "") + ")",
          c.micros, c.key};
}

}  // namespace

std::string rfc3339_sql(const std::string& column) {
  std::string out = kTs;
  out.replace(out.find("%1$s"), 4, column);
  return out;
}

Tenant ensure_tenant(pqxx::work& tx, const std::string& pubkey) {
  tx.exec_params("INSERT INTO tenants (pubkey) VALUES ($1) ON CONFLICT (pubkey) DO NOTHING", pubkey);
  return *find_tenant(tx, pubkey);
}

std::optional<Tenant> find_tenant(pqxx::work& tx, const std::string& pubkey) {
  const auto rows = tx.exec_params("SELECT " + kTenantColumns + " FROM tenants t WHERE t.pubkey = $1", pubkey);
  if (rows.empty()) return std::nullopt;
  return tenant_from(rows[0]);
}

std::optional<std::string> lock_tenant_status(pqxx::work& tx, const std::string& pubkey) {
  const auto rows = tx.exec_params("SELECT status FROM tenants WHERE pubkey = $1 FOR UPDATE", pubkey);
  if (rows.empty()) return std::nullopt;
  return std::string(rows[0][0].c_str());
}

std::vector<Tenant> list_tenants(pqxx::work& tx, const PageRequest& page) {
  const PageAfter after = page_after(page, "t.created_at", "t.pubkey", 2, false);
  const std::string sql = "SELECT " + kTenantColumns + " FROM tenants t WHERE ($1::text IS NULL OR t.status = $1)" +
                          after.sql + " ORDER BY t.created_at, t.pubkey LIMIT $4";
  std::vector<Tenant> out;
  for (const auto& row :
       tx.exec_params(sql, page.status, after.micros, after.key, static_cast<std::int64_t>(page.limit)))
    out.push_back(tenant_from(row));
  return out;
}

bool set_tenant_status(pqxx::work& tx, const std::string& pubkey, const TenantStatus& status) {
  return tx.exec_params("UPDATE tenants SET status = $2, status_reason = $3 WHERE pubkey = $1", pubkey, status.status,
                        status.reason)
             .affected_rows() == 1;
}

std::optional<Relay> find_relay(pqxx::work& tx, const std::string& id, const std::optional<std::string>& owner) {
  if (!core::is_uuid(id)) return std::nullopt;
  const auto rows = tx.exec_params(
      "SELECT " + kRelayColumns + " FROM relays r WHERE r.id = $1::uuid AND ($2::text IS NULL OR r.tenant_pubkey = $2)",
      id, owner);
  if (rows.empty()) return std::nullopt;
  return relay_from(rows[0]);
}

std::vector<Relay> list_relays(pqxx::work& tx, const std::optional<std::string>& owner, const PageRequest& page) {
  const PageAfter after = page_after(page, "r.created_at", "r.id", 3, true);
  const std::string sql = "SELECT " + kRelayColumns +
                          " FROM relays r WHERE ($1::text IS NULL OR r.tenant_pubkey = $1)"
                          " AND ($2::text IS NULL OR r.status = $2)" +
                          after.sql + " ORDER BY r.created_at, r.id LIMIT $5";
  std::vector<Relay> out;
  for (const auto& row :
       tx.exec_params(sql, owner, page.status, after.micros, after.key, static_cast<std::int64_t>(page.limit)))
    out.push_back(relay_from(row));
  return out;
}

std::int64_t count_counted_relays(pqxx::work& tx, const std::string& owner, const std::string& plan) {
  return tx
      .exec_params("SELECT count(*) FROM relays WHERE tenant_pubkey = $1 AND plan = $2 AND status <> 'inactive'",
                   owner, plan)[0][0]
      .as<std::int64_t>();
}

Relay insert_relay(pqxx::work& tx, const NewRelay& n) {
  const auto rows = tx.exec_params(
      "WITH r AS (INSERT INTO relays (tenant_pubkey, subdomain, name, description, plan, relay_pubkey, "
      "relay_secret_enc) VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'hex')) RETURNING *) SELECT " +
          kRelayColumns + " FROM r",
      n.tenant_pubkey, n.subdomain, n.name, n.description, n.plan, n.relay_pubkey, nostr::hex_encode(n.relay_secret_enc));
  return relay_from(rows[0]);
}

Relay update_relay(pqxx::work& tx, const std::string& id, const RelayChanges& c) {
  const auto rows = tx.exec_params(
      "WITH r AS (UPDATE relays SET name = coalesce($2, name), description = coalesce($3, description), "
      "plan = coalesce($4, plan), status = coalesce($5, status), status_reason = coalesce($6, status_reason) "
      "WHERE id = $1::uuid RETURNING *) SELECT " +
          kRelayColumns + " FROM r",
      id, c.name, c.description, c.plan, c.status, c.status_reason);
  return relay_from(rows[0]);
}

void record_activity(pqxx::work& tx, const Relay& relay, const Actor& actor, const std::string& action,
                     const std::string& details_json, const std::string& result) {
  tx.exec_params(
      "INSERT INTO relay_activity (relay_id, tenant_pubkey, actor_pubkey, actor_role, action, plan, status, details, "
      "door, result) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)",
      relay.id, relay.tenant_pubkey, actor.pubkey, std::string(actor.role()), action, relay.plan, relay.status,
      details_json, std::string(actor.door), result);
}

std::vector<Activity> list_activity(pqxx::work& tx, const std::string& relay_id, std::int64_t after,
                                    std::size_t limit) {
  std::vector<Activity> out;
  const auto rows = tx.exec_params(
      "SELECT id, relay_id::text, tenant_pubkey, actor_pubkey, actor_role, action, plan, status, details::text, "
      "door, result, " +
          ts("created_at") + " FROM relay_activity WHERE relay_id = $1::uuid AND id > $2 ORDER BY id LIMIT $3",
      relay_id, after, static_cast<std::int64_t>(limit));
  for (const auto& row : rows) {
    Activity a;
    a.id = row[0].as<std::int64_t>();
    a.relay_id = row[1].c_str();
    a.tenant_pubkey = row[2].c_str();
    a.actor_pubkey = row[3].c_str();
    a.actor_role = row[4].c_str();
    a.action = row[5].c_str();
    a.plan = row[6].c_str();
    a.status = row[7].c_str();
    a.details_json = row[8].c_str();
    a.door = row[9].c_str();
    a.result = row[10].c_str();
    a.created_at = row[11].c_str();
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace marina::tenants::repo
