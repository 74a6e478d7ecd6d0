#include "synthetic_events.hpp"

#include "marina/nostr/sha256.hpp"

namespace marina::store::testing {

nostr::PublicKey synthetic_author(int n) {
  return nostr::PublicKey::from_span(nostr::sha256("author:" + std::to_string(n)).span());
}

namespace {

// $1 relay, $2 first number, $3 end, $4 authors, $5 created_at of number 0.
constexpr const char* kInsert = R"SQL(
WITH g AS MATERIALIZED (
  SELECT i, id, pk, kind, ts,
         CASE WHEN kind = 7 THEN 'e' ELSE 't' END AS tag0,
         CASE WHEN kind = 7 THEN encode(sha256(convert_to('target:' || i, 'UTF8')), 'hex')
              WHEN i % 100 = 0 THEN 'x' ELSE 'tag' || (i % 500) END AS value0,
         encode(sha256(convert_to('author:' || ((i * 7) % $4), 'UTF8')), 'hex') AS value1,
         CASE WHEN kind = 7 THEN '+'
              ELSE 'word' || (i % 1000) || ' ' || repeat('lorem ipsum dolor sit amet ', 20) END AS content
  FROM (SELECT i,
               sha256(convert_to($1 || ':' || i, 'UTF8')) AS id,
               sha256(convert_to('author:' || (i % $4), 'UTF8')) AS pk,
               (ARRAY[1, 1, 1, 1, 1, 1, 7, 7, 6, 1111])[1 + i % 10] AS kind,
               $5::bigint + i AS ts
        FROM generate_series($2::bigint, $3::bigint - 1) AS i) s),
ev AS (
  INSERT INTO events (relay_id, id, pubkey, kind, created_at, tsv, raw)
  SELECT $1::uuid, id, pk, kind, ts, to_tsvector('simple', content),
         json_build_object('id', encode(id, 'hex'), 'pubkey', encode(pk, 'hex'), 'created_at', ts, 'kind', kind,
                           'tags', json_build_array(json_build_array(tag0, value0), json_build_array('p', value1)),
                           'content', content, 'sig', repeat(encode(id, 'hex'), 2))::text
  FROM g
  RETURNING 1),
tags AS (
  INSERT INTO event_tags (relay_id, event_id, pos, name, value, kind, created_at)
  SELECT $1::uuid, id, t.pos, t.name, t.value, kind, ts
  FROM g CROSS JOIN LATERAL (VALUES (0, tag0, value0), (1, 'p', value1)) AS t(pos, name, value))
SELECT count(*) FROM ev
)SQL";

}  // namespace

std::int64_t insert_synthetic_events(pqxx::connection& conn, const std::string& relay_id, std::int64_t from,
                                     std::int64_t to, int authors, std::int64_t first_created_at) {
  pqxx::work tx(conn);
  const auto n = tx.exec_params1(kInsert, relay_id, from, to, authors, first_created_at)[0].as<std::int64_t>();
  tx.commit();
  return n;
}

}  // namespace marina::store::testing
