#include "rule_deletions.hpp"

#include "binary_array.hpp"
#include "write_statements.hpp"

namespace marina::store::detail {

namespace {

// Events deleted (and their raw JSON held) per vanish statement.
constexpr std::int64_t kVanishChunk = 5000;

}  // namespace

void delete_addresses(pqxx::work& tx, const std::string& relay_id, const WritePlan& plan,
                      std::vector<DeletedEvent>& deleted) {
  if (plan.address_deletions.empty()) return;
  BinaryArray pubkeys(BinaryArray::Type::bytea), kinds(BinaryArray::Type::int4), ds(BinaryArray::Type::text),
      untils(BinaryArray::Type::int8);
  for (const auto& [address, until] : plan.address_deletions) {
    pubkeys.bytes(address.pubkey.bytes);
    kinds.int4(address.kind);
    ds.text(address.d);
    untils.int8(until);
  }
  Params params;
  const std::string relay = params.add_uuid(relay_id) + "::uuid";
  // The address index keeps one version per address, so this deletes at
  // most one row per address.
  const std::string sql =
      "WITH a AS (SELECT * FROM unnest(" + params.add(pubkeys) + "::bytea[], " + params.add(kinds) + "::int[], " +
      params.add(ds) + "::text[], " + params.add(untils) + "::bigint[]) AS a(pubkey, kind, d_tag, until)),\n"
      "gone AS (DELETE FROM events e USING a WHERE e.relay_id = " + relay +
      " AND e.pubkey = a.pubkey AND e.kind = a.kind AND e.d_tag IS NOT NULL"
      " AND marina_text_sha256(e.d_tag) = marina_text_sha256(a.d_tag)"
      " AND e.d_tag = a.d_tag COLLATE \"C\" AND e.created_at <= a.until RETURNING e.raw),\n"
      "tombstones AS (INSERT INTO deleted_addresses (relay_id, pubkey, kind, d_tag, deleted_until)"
      " SELECT " + relay + ", pubkey, kind, d_tag, until FROM a"
      " ON CONFLICT (relay_id, pubkey, kind, marina_text_sha256(d_tag)) DO UPDATE"
      " SET deleted_until = GREATEST(deleted_addresses.deleted_until, EXCLUDED.deleted_until))\n"
      "SELECT raw FROM gone";
  for (const auto& row : params.run(tx, sql)) deleted.push_back(DeletedEvent{relay_id, row[0].c_str()});
}

void vanish(pqxx::work& tx, const std::string& relay_id, const WritePlan& plan) {
  if (plan.vanishes.empty()) return;
  BinaryArray pubkeys(BinaryArray::Type::bytea), untils(BinaryArray::Type::int8);
  for (const auto& [pubkey, until] : plan.vanishes) {
    pubkeys.bytes(pubkey.bytes);
    untils.int8(until);
  }
  Params params;
  const std::string relay = params.add_uuid(relay_id) + "::uuid";
  const std::string v = "v AS (SELECT * FROM unnest(" + params.add(pubkeys) + "::bytea[], " + params.add(untils) +
                        "::bigint[]) AS v(pubkey, until))";
  params.run(tx, "WITH " + v +
                     " INSERT INTO vanished_pubkeys (relay_id, pubkey, vanished_until) SELECT " + relay +
                     ", pubkey, until FROM v ON CONFLICT (relay_id, pubkey) DO UPDATE"
                     " SET vanished_until = GREATEST(vanished_pubkeys.vanished_until, EXCLUDED.vanished_until)");
  // The pubkey's own events (requests to vanish stay, as the record of what
  // was asked) and gift wraps p-tagging it, a chunk at a time; each chunk's
  // tag rows go before the next chunk is chosen, so a deleted gift wrap's
  // `p` row cannot be chosen again.
  const std::string chunk = std::to_string(kVanishChunk);
  const std::string sql =
      "WITH " + v +
      ",\nvictims AS (("
      "SELECT o.id FROM v CROSS JOIN LATERAL (SELECT e.id FROM events e WHERE e.relay_id = " + relay +
      " AND e.pubkey = v.pubkey AND e.created_at <= v.until AND e.kind <> 62 LIMIT " + chunk + ") o"
      ") UNION (SELECT w.id FROM v CROSS JOIN LATERAL (SELECT t.event_id AS id FROM event_tags t"
      " JOIN events g ON g.relay_id = " + relay + " AND g.id = t.event_id WHERE t.relay_id = " + relay +
      " AND t.name = 'p' AND event_tag_key(t.value) = encode(v.pubkey, 'hex') COLLATE \"C\""
      " AND t.value = encode(v.pubkey, 'hex') COLLATE \"C\" AND t.kind = 1059 AND t.created_at <= v.until LIMIT " +
      chunk + ") w) LIMIT " + chunk + ")\n"
      "DELETE FROM events e USING victims WHERE e.relay_id = " + relay + " AND e.id = victims.id RETURNING e.raw";
  for (;;) {
    std::vector<DeletedEvent> deleted;
    for (const auto& row : params.run(tx, sql)) deleted.push_back(DeletedEvent{relay_id, row[0].c_str()});
    if (deleted.empty()) return;
    delete_tag_rows(tx, deleted);
  }
}

}  // namespace marina::store::detail
