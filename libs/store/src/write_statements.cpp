#include "write_statements.hpp"

namespace marina::store::detail {

namespace {

// Each key is looked up by a LATERAL subquery with OFFSET 0, which the
// planner cannot turn into a join of another shape: a generic plan made
// while the tables are small (or without statistics) would otherwise happily
// hash-join the keys against every relay's rows.
constexpr const char* kReadPriorOne = R"SQL(
SELECT 'stored', $1::uuid::text, e.id, e.pubkey, e.kind, NULL::text, e.created_at
  FROM unnest($2::bytea[]) AS k(id)
  CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.relay_id = $1::uuid AND e.id = k.id OFFSET 0) e
UNION ALL
SELECT 'deleted_id', $1::uuid::text, x.id, x.pubkey, NULL, NULL, NULL
  FROM unnest($2::bytea[]) AS k(id)
  CROSS JOIN LATERAL (SELECT * FROM deleted_events x WHERE x.relay_id = $1::uuid AND x.id = k.id OFFSET 0) x
UNION ALL
SELECT 'vanished', $1::uuid::text, NULL, x.pubkey, NULL, NULL, x.vanished_until
  FROM unnest($3::bytea[]) AS k(pubkey)
  CROSS JOIN LATERAL (SELECT * FROM vanished_pubkeys x WHERE x.relay_id = $1::uuid AND x.pubkey = k.pubkey OFFSET 0) x
UNION ALL
SELECT 'current', $1::uuid::text, e.id, e.pubkey, e.kind, e.d_tag, e.created_at
  FROM unnest($4::bytea[], $5::int[], $6::text[]) AS k(pubkey, kind, d_tag)
  CROSS JOIN LATERAL (
    SELECT * FROM events e
    WHERE e.relay_id = $1::uuid AND e.pubkey = k.pubkey AND e.kind = k.kind AND e.d_tag IS NOT NULL
      AND marina_text_sha256(e.d_tag) = marina_text_sha256(k.d_tag) AND e.d_tag = k.d_tag COLLATE "C" OFFSET 0) e
UNION ALL
SELECT 'deleted_address', $1::uuid::text, NULL, x.pubkey, x.kind, x.d_tag, x.deleted_until
  FROM unnest($4::bytea[], $5::int[], $6::text[]) AS k(pubkey, kind, d_tag)
  CROSS JOIN LATERAL (
    SELECT * FROM deleted_addresses x
    WHERE x.relay_id = $1::uuid AND x.pubkey = k.pubkey AND x.kind = k.kind
      AND marina_text_sha256(x.d_tag) = marina_text_sha256(k.d_tag) AND x.d_tag = k.d_tag COLLATE "C" OFFSET 0) x
UNION ALL
SELECT 'count', $1::uuid::text, NULL, NULL, NULL, NULL, c.stored
  FROM relay_event_counts c WHERE c.relay_id = $1::uuid
)SQL";

constexpr const char* kReadPriorMany = R"SQL(
SELECT 'stored', e.relay_id::text, e.id, e.pubkey, e.kind, NULL::text, e.created_at
  FROM unnest($1::uuid[], $2::bytea[]) AS k(relay_id, id)
  CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.relay_id = k.relay_id AND e.id = k.id OFFSET 0) e
UNION ALL
SELECT 'deleted_id', x.relay_id::text, x.id, x.pubkey, NULL, NULL, NULL
  FROM unnest($1::uuid[], $2::bytea[]) AS k(relay_id, id)
  CROSS JOIN LATERAL (SELECT * FROM deleted_events x WHERE x.relay_id = k.relay_id AND x.id = k.id OFFSET 0) x
UNION ALL
SELECT 'vanished', x.relay_id::text, NULL, x.pubkey, NULL, NULL, x.vanished_until
  FROM unnest($3::uuid[], $4::bytea[]) AS k(relay_id, pubkey)
  CROSS JOIN LATERAL (
    SELECT * FROM vanished_pubkeys x WHERE x.relay_id = k.relay_id AND x.pubkey = k.pubkey OFFSET 0) x
UNION ALL
SELECT 'current', e.relay_id::text, e.id, e.pubkey, e.kind, e.d_tag, e.created_at
  FROM unnest($5::uuid[], $6::bytea[], $7::int[], $8::text[]) AS k(relay_id, pubkey, kind, d_tag)
  CROSS JOIN LATERAL (
    SELECT * FROM events e
    WHERE e.relay_id = k.relay_id AND e.pubkey = k.pubkey AND e.kind = k.kind AND e.d_tag IS NOT NULL
      AND marina_text_sha256(e.d_tag) = marina_text_sha256(k.d_tag) AND e.d_tag = k.d_tag COLLATE "C" OFFSET 0) e
UNION ALL
SELECT 'deleted_address', x.relay_id::text, NULL, x.pubkey, x.kind, x.d_tag, x.deleted_until
  FROM unnest($5::uuid[], $6::bytea[], $7::int[], $8::text[]) AS k(relay_id, pubkey, kind, d_tag)
  CROSS JOIN LATERAL (
    SELECT * FROM deleted_addresses x
    WHERE x.relay_id = k.relay_id AND x.pubkey = k.pubkey AND x.kind = k.kind
      AND marina_text_sha256(x.d_tag) = marina_text_sha256(k.d_tag) AND x.d_tag = k.d_tag COLLATE "C" OFFSET 0) x
UNION ALL
SELECT 'count', c.relay_id::text, NULL, NULL, NULL, NULL, c.stored
  FROM relay_event_counts c WHERE c.relay_id = ANY($9::uuid[])
)SQL";

constexpr const char* kDeleteEvents = R"SQL(
DELETE FROM events e USING unnest($1::uuid[], $2::bytea[]) AS k(relay_id, id)
WHERE e.relay_id = k.relay_id AND e.id = k.id
RETURNING e.relay_id::text, e.raw
)SQL";

constexpr const char* kRememberDeleted = R"SQL(
INSERT INTO deleted_events (relay_id, id, pubkey)
SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bytea[])
ON CONFLICT DO NOTHING
)SQL";

constexpr const char* kDeleteTags = R"SQL(
DELETE FROM event_tags t
USING unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::bytea[]) AS k(relay_id, name, value, created_at, event_id)
WHERE t.relay_id = k.relay_id AND t.name = k.name AND event_tag_key(t.value) = event_tag_key(k.value COLLATE "C")
  AND t.created_at = k.created_at AND t.event_id = k.event_id
)SQL";

// No ON CONFLICT: under the relay's lock, the prior read saw every stored
// id, so a conflict cannot happen; if one did, the batch would fail and its
// retry would find the row and answer "duplicate". Skipping the speculative
// insertion saves an index probe per event.
// Every row of the arrays is inserted (or the statement fails), so the
// relay's stored-event count (migrations/0007) grows by the array's count
// per relay; this is the only statement that inserts events. The counters
// are upserted in relay_id order, as the deletion trigger takes them.
constexpr const char* kInsert = R"SQL(
WITH ins AS (
  INSERT INTO events (relay_id, id, pubkey, kind, created_at, d_tag, expires_at, tsv, raw)
  SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::int[], $5::bigint[], $6::text[], $7::bigint[],
                       $8::tsvector[], $9::text[])),
counted AS (
  INSERT INTO relay_event_counts AS c (relay_id, stored)
  SELECT relay_id, count(*) FROM unnest($1::uuid[]) AS k(relay_id) GROUP BY relay_id ORDER BY relay_id
  ON CONFLICT (relay_id) DO UPDATE SET stored = c.stored + excluded.stored)
INSERT INTO event_tags (relay_id, event_id, pos, name, value, kind, created_at)
SELECT * FROM unnest($10::uuid[], $11::bytea[], $12::int[], $13::text[], $14::text[], $15::int[], $16::bigint[])
)SQL";

}  // namespace

void prepare_write_statements(pg::Pool& pool) {
  pool.prepare(statement::read_prior_one, kReadPriorOne);
  pool.prepare(statement::read_prior_many, kReadPriorMany);
  pool.prepare(statement::delete_events, kDeleteEvents);
  pool.prepare(statement::remember_deleted, kRememberDeleted);
  pool.prepare(statement::delete_tags, kDeleteTags);
  pool.prepare(statement::insert, kInsert);
}

std::string Params::add(pqxx::binarystring value) {
  values_.push_back(std::move(value));
  return "$" + std::to_string(values_.size());
}

std::string Params::add_uuid(const std::string& canonical) {
  const auto b = uuid_bytes(canonical);
  return add(pqxx::binarystring(b.data(), b.size()));
}

pqxx::result Params::run(pqxx::work& tx, const std::string& sql) const {
  return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values_));
}

pqxx::result Params::run_prepared(pqxx::work& tx, const char* statement) const {
  return tx.exec_prepared(statement, pqxx::prepare::make_dynamic_params(values_));
}

}  // namespace marina::store::detail
