#include "marina/store/event_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "marina/core/clock.hpp"
#include "marina/pg/pool.hpp"
#include "marina/relay/config_keys.hpp"
#include "query_sql.hpp"
#include "tag_rows.hpp"
#include "uuid.hpp"
#include "write_batch.hpp"
#include "write_statements.hpp"

namespace marina::store {

namespace {

// The filter as the database can answer it: tag values holding a NUL are
// dropped (no stored tag can hold one, and a text parameter would be cut at
// it). nullopt when the filter can match nothing.
std::optional<nostr::Filter> answerable(const nostr::Filter& f) {
  nostr::Filter out = f;
  for (auto& t : out.tags) std::erase_if(t.values, [](const std::string& v) { return v.find('\0') != std::string::npos; });
  if (out.matches_nothing()) return std::nullopt;
  return out;
}

// A statement and its parameters, run outside any transaction: one
// statement is one snapshot, and one round trip.
struct Statement {
  std::string sql;
  std::vector<std::string> params;

  pqxx::result run(pqxx::connection& conn) const {
    pqxx::nontransaction tx(conn);
    return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
  }
};

// The relay and the NIP-40 bound of a read, as placeholders.
detail::FilterSql scope(detail::SqlParams& params, const std::string& relay, std::optional<std::int64_t> up_to) {
  return {params.add(relay) + "::uuid", up_to ? params.add(std::to_string(*up_to)) + "::bigint" : std::string()};
}

}  // namespace

EventStore::EventStore(pg::Pool& pool, EventStoreOptions options) : pool_(pool), options_(options) {
  detail::prepare_write_statements(pool_);
}

boost::asio::awaitable<std::vector<WriteResult>> EventStore::write(std::vector<WriteRequest> batch) {
  if (batch.empty()) co_return std::vector<WriteResult>{};
  const std::int64_t now = core::unix_seconds();
  auto job = [&batch, now](pqxx::work& tx) { return detail::write_batch(tx, batch, now); };
  co_return co_await pool_.transaction(std::move(job));
}

boost::asio::awaitable<std::vector<std::string>> EventStore::query(const std::string& relay_id,
                                                                   const std::vector<nostr::Filter>& filters,
                                                                   std::optional<std::int64_t> hidden_expired_up_to) {
  const auto relay = detail::canonical_uuid(relay_id);
  if (!relay) co_return std::vector<std::string>{};
  detail::SqlParams params;
  const detail::FilterSql at = scope(params, *relay, hidden_expired_up_to);
  std::vector<std::string> parts;
  for (const auto& filter : filters) {
    const auto f = answerable(filter);
    if (!f) continue;
    const std::uint64_t limit = std::min(f->limit.value_or(options_.default_limit), options_.max_limit);
    if (limit == 0) continue;
    parts.push_back(detail::filter_query_sql(*f, limit, at, params));
  }
  if (parts.empty()) co_return std::vector<std::string>{};

  Statement statement{parts.front(), params.values()};
  if (parts.size() > 1) {
    // Each filter keeps its own limit; the union is merged newest first and
    // an event matched by several filters is sent once.
    std::string sql = "SELECT DISTINCT ON (u.created_at, u.id) u.created_at, u.id, u.raw FROM ((";
    for (std::size_t i = 0; i < parts.size(); ++i) sql += (i ? ") UNION ALL (" : "") + parts[i];
    statement.sql = sql + ")) u ORDER BY u.created_at DESC, u.id";
  }
  auto job = [&statement](pqxx::connection& conn) {
    const pqxx::result rows = statement.run(conn);
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.emplace_back(row[2].c_str(), row[2].size());
    return out;
  };
  co_return co_await pool_.run(std::move(job));
}

boost::asio::awaitable<std::uint64_t> EventStore::count(const std::string& relay_id,
                                                        const std::vector<nostr::Filter>& filters,
                                                        std::optional<std::int64_t> hidden_expired_up_to) {
  const auto relay = detail::canonical_uuid(relay_id);
  if (!relay) co_return std::uint64_t{0};
  detail::SqlParams params;
  const detail::FilterSql at = scope(params, *relay, hidden_expired_up_to);
  std::string sql;
  for (const auto& filter : filters) {
    const auto f = answerable(filter);
    if (!f) continue;
    // UNION (not ALL): an event matched by several filters counts once.
    sql += (sql.empty() ? "" : " UNION ") + detail::filter_ids_sql(*f, at, params);
  }
  if (sql.empty()) co_return std::uint64_t{0};
  Statement statement{"SELECT count(*) FROM (" + sql + ") c", params.values()};
  auto job = [&statement](pqxx::connection& conn) { return statement.run(conn)[0][0].as<std::uint64_t>(); };
  co_return co_await pool_.run(std::move(job));
}

boost::asio::awaitable<std::size_t> EventStore::purge_expired(std::int64_t now, std::size_t max_rows) {
  if (max_rows == 0) co_return std::size_t{0};
  // The grace key's default and range, as the catalogue declares them (a
  // stored value outside them counts as the default, as in RelayConfig).
  const relay::ConfigKey& grace = *relay::find_config_key("nip40_expiration_grace_period");
  const std::string default_grace(grace.default_value);
  auto job = [now, max_rows, &default_grace, max_grace = grace.max](pqxx::work& tx) {
    // Oldest expirations first, through events_expiring, across all relays;
    // a relay's NIP-40 configuration keeps some (libs/relay expiration.hpp):
    // none while expiration is disabled, until the grace period is over
    // while its filter is off.
    const pqxx::result gone = tx.exec_params(R"SQL(
WITH kept AS (
  SELECT relay_id,
         bool_or(key = 'nip40_expiration_enabled' AND value = 'false') AS ignored,
         bool_or(key = 'nip40_expiration_filter' AND value = 'false') AS unfiltered,
         -- nested: the cast runs only on digits
         max(CASE WHEN key = 'nip40_expiration_grace_period' AND value ~ '^[0-9]{1,9}$'
                  THEN CASE WHEN value::bigint <= $4::bigint THEN value::bigint END END) AS grace
  FROM relay_config
  WHERE key IN ('nip40_expiration_enabled', 'nip40_expiration_filter', 'nip40_expiration_grace_period')
  GROUP BY relay_id),
victims AS (
  SELECT e.relay_id, e.id FROM events e LEFT JOIN kept k ON k.relay_id = e.relay_id
  WHERE e.expires_at <= $1::bigint
    AND NOT coalesce(k.ignored, false)
    AND (NOT coalesce(k.unfiltered, false) OR e.expires_at <= $1::bigint - coalesce(k.grace, $3::bigint))
  ORDER BY e.expires_at LIMIT $2::bigint)
DELETE FROM events e USING victims v WHERE e.relay_id = v.relay_id AND e.id = v.id
RETURNING e.relay_id::text, e.raw
)SQL",
                                             now, static_cast<std::int64_t>(max_rows), default_grace, max_grace);
    detail::delete_tag_rows(tx, detail::deleted_events_of(gone, 0, 1));
    return static_cast<std::size_t>(gone.size());
  };
  co_return co_await pool_.transaction(std::move(job));
}

boost::asio::awaitable<void> EventStore::export_all(const std::string& relay_id, std::size_t page_size,
                                                    std::function<void(std::vector<std::string>&&)> sink) {
  ExportCursor cursor;
  while (!cursor.done) {
    std::vector<std::string> page = co_await export_page(relay_id, cursor, page_size);
    if (!page.empty()) sink(std::move(page));
  }
}

boost::asio::awaitable<std::vector<std::string>> EventStore::export_page(const std::string& relay_id,
                                                                         ExportCursor& cursor,
                                                                         std::size_t page_size) {
  const auto relay = detail::canonical_uuid(relay_id);
  if (!relay || page_size == 0) cursor.done = true;
  if (cursor.done) co_return std::vector<std::string>{};
  // Keyset pagination in the order events_by_time reads backwards
  // (created_at ascending, then id descending): each page starts where the
  // last one ended, by an index condition, so every page costs the same.
  Statement statement{R"SQL(
SELECT created_at, id, raw FROM events
WHERE relay_id = $1::uuid AND created_at >= $2::bigint AND (created_at > $2::bigint OR id < $3::bytea)
ORDER BY created_at ASC, id DESC LIMIT $4::bigint
)SQL",
                      {*relay, cursor.after_created_at, cursor.after_id, std::to_string(page_size)}};
  auto job = [&statement, &cursor](pqxx::connection& conn) {
    const pqxx::result rows = statement.run(conn);
    std::vector<std::string> page;
    page.reserve(rows.size());
    for (const auto& row : rows) page.emplace_back(row[2].c_str(), row[2].size());
    if (!rows.empty()) {
      cursor.after_created_at = rows.back()[0].c_str();
      cursor.after_id = rows.back()[1].c_str();
    }
    return page;
  };
  std::vector<std::string> page = co_await pool_.run(std::move(job));
  if (page.size() < page_size) cursor.done = true;
  co_return page;
}

}  // namespace marina::store
