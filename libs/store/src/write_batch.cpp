#include "write_batch.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

#include "marina/nostr/nip40.hpp"
#include "sql_array.hpp"
#include "stored_fields.hpp"
#include "uuid.hpp"
#include "write_plan.hpp"

namespace marina::store::detail {

namespace {

// The first key of the write path's advisory locks (the two-int form has its
// own key space, apart from the bigint locks of migrations and others).
constexpr std::int32_t kWriteLockSpace = 0x4d53;

struct Group {
  std::vector<std::size_t> positions;  // in the batch
  std::vector<const WriteRequest*> requests;
  PriorState prior;
  WritePlan plan;
};

using Groups = std::map<std::string, Group>;  // by canonical relay id

std::int32_t relay_lock_key(const std::string& relay_id) {
  std::uint32_t key = 0;
  std::from_chars(relay_id.data(), relay_id.data() + 8, key, 16);
  return static_cast<std::int32_t>(key);
}

void lock_relays(pqxx::work& tx, const Groups& groups) {
  std::vector<std::int32_t> keys;
  for (const auto& [relay_id, group] : groups) keys.push_back(relay_lock_key(relay_id));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  ArrayLiteral array;
  for (auto key : keys) array.integer(key);
  // unnest yields the keys in array (sorted) order, so every batch takes its
  // locks in one global order. Notices (a word too long for the search
  // index) are not worth a line on the client's stderr each.
  tx.exec_params(
      "SELECT set_config('client_min_messages', 'warning', true), pg_advisory_xact_lock($1::int, k) "
      "FROM unnest($2::int[]) AS k",
      kWriteLockSpace, std::move(array).finish());
}

const char* kReadPrior = R"SQL(
SELECT 'stored', k.relay_id::text, e.id, e.pubkey, e.kind, NULL::text, e.created_at
  FROM unnest($1::uuid[], $2::bytea[]) AS k(relay_id, id)
  JOIN events e ON e.relay_id = k.relay_id AND e.id = k.id
UNION ALL
SELECT 'deleted_id', k.relay_id::text, x.id, x.pubkey, NULL, NULL, NULL
  FROM unnest($1::uuid[], $2::bytea[]) AS k(relay_id, id)
  JOIN deleted_events x ON x.relay_id = k.relay_id AND x.id = k.id
UNION ALL
SELECT 'vanished', k.relay_id::text, NULL, x.pubkey, NULL, NULL, x.vanished_until
  FROM unnest($3::uuid[], $4::bytea[]) AS k(relay_id, pubkey)
  JOIN vanished_pubkeys x ON x.relay_id = k.relay_id AND x.pubkey = k.pubkey
UNION ALL
SELECT 'current', k.relay_id::text, e.id, e.pubkey, e.kind, e.d_tag, e.created_at
  FROM unnest($5::uuid[], $6::bytea[], $7::int[], $8::text[]) AS k(relay_id, pubkey, kind, d_tag)
  JOIN events e ON e.relay_id = k.relay_id AND e.pubkey = k.pubkey AND e.kind = k.kind AND e.d_tag IS NOT NULL
   AND marina_text_sha256(e.d_tag) = marina_text_sha256(k.d_tag) AND e.d_tag = k.d_tag COLLATE "C"
UNION ALL
SELECT 'deleted_address', k.relay_id::text, NULL, x.pubkey, x.kind, x.d_tag, x.deleted_until
  FROM unnest($5::uuid[], $6::bytea[], $7::int[], $8::text[]) AS k(relay_id, pubkey, kind, d_tag)
  JOIN deleted_addresses x ON x.relay_id = k.relay_id AND x.pubkey = k.pubkey AND x.kind = k.kind
   AND marina_text_sha256(x.d_tag) = marina_text_sha256(k.d_tag) AND x.d_tag = k.d_tag COLLATE "C"
)SQL";

nostr::EventId event_id_field(const pqxx::field& f) {
  auto id = bytes_from_pg<32, nostr::EventIdTag>(f.c_str());
  if (!id) throw std::runtime_error("store: malformed event id from the database");
  return *id;
}

nostr::PublicKey pubkey_field(const pqxx::field& f) {
  auto pubkey = bytes_from_pg<32, nostr::PublicKeyTag>(f.c_str());
  if (!pubkey) throw std::runtime_error("store: malformed pubkey from the database");
  return *pubkey;
}

void read_prior(pqxx::work& tx, Groups& groups) {
  ArrayLiteral id_relays, ids, pubkey_relays, pubkeys, address_relays, address_pubkeys, kinds, ds;
  for (auto& [relay_id, group] : groups) {
    const LookupKeys keys = lookup_keys(group.requests);
    for (const auto& id : keys.ids) {
      id_relays.text(relay_id);
      ids.bytes(id.bytes);
    }
    for (const auto& pubkey : keys.pubkeys) {
      pubkey_relays.text(relay_id);
      pubkeys.bytes(pubkey.bytes);
    }
    for (const auto& address : keys.addresses) {
      address_relays.text(relay_id);
      address_pubkeys.bytes(address.pubkey.bytes);
      kinds.integer(address.kind);
      ds.text(address.d);
    }
  }
  const pqxx::result rows =
      tx.exec_params(kReadPrior, std::move(id_relays).finish(), std::move(ids).finish(),
                     std::move(pubkey_relays).finish(), std::move(pubkeys).finish(), std::move(address_relays).finish(),
                     std::move(address_pubkeys).finish(), std::move(kinds).finish(), std::move(ds).finish());
  for (const auto& row : rows) {
    const std::string_view what = row[0].c_str();
    PriorState& prior = groups.at(row[1].c_str()).prior;
    if (what == "stored") {
      const auto id = event_id_field(row[2]);
      prior.stored.emplace(id, StoredEvent{id, pubkey_field(row[3]), row[4].as<nostr::Kind>(), row[6].as<std::int64_t>()});
    } else if (what == "deleted_id") {
      prior.deleted_ids[event_id_field(row[2])].push_back(pubkey_field(row[3]));
    } else if (what == "vanished") {
      prior.vanished[pubkey_field(row[3])] = row[6].as<std::int64_t>();
    } else if (what == "current") {
      const auto pubkey = pubkey_field(row[3]);
      const auto kind = row[4].as<nostr::Kind>();
      prior.current[Address{pubkey, kind, row[5].c_str()}] =
          StoredEvent{event_id_field(row[2]), pubkey, kind, row[6].as<std::int64_t>()};
    } else if (what == "deleted_address") {
      prior.deleted_addresses[Address{pubkey_field(row[3]), row[4].as<nostr::Kind>(), row[5].c_str()}] =
          row[6].as<std::int64_t>();
    }
  }
}

void delete_events(pqxx::work& tx, const Groups& groups) {
  ArrayLiteral relays, ids;
  for (const auto& [relay_id, group] : groups) {
    for (const auto& id : group.plan.delete_ids) {
      relays.text(relay_id);
      ids.bytes(id.bytes);
    }
  }
  if (ids.empty()) return;
  tx.exec_params(R"SQL(
WITH gone AS (
  DELETE FROM events e USING unnest($1::uuid[], $2::bytea[]) AS k(relay_id, id)
  WHERE e.relay_id = k.relay_id AND e.id = k.id
  RETURNING e.relay_id, e.id)
DELETE FROM event_tags t USING gone WHERE t.relay_id = gone.relay_id AND t.event_id = gone.id
)SQL",
                 std::move(relays).finish(), std::move(ids).finish());
}

void delete_addresses(pqxx::work& tx, const Groups& groups) {
  ArrayLiteral relays, pubkeys, kinds, ds, untils;
  for (const auto& [relay_id, group] : groups) {
    for (const auto& [address, until] : group.plan.address_deletions) {
      relays.text(relay_id);
      pubkeys.bytes(address.pubkey.bytes);
      kinds.integer(address.kind);
      ds.text(address.d);
      untils.integer(until);
    }
  }
  if (relays.empty()) return;
  tx.exec_params(R"SQL(
WITH k AS (
  SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::int[], $4::text[], $5::bigint[])
    AS k(relay_id, pubkey, kind, d_tag, until)),
gone AS (
  DELETE FROM events e USING k
  WHERE e.relay_id = k.relay_id AND e.pubkey = k.pubkey AND e.kind = k.kind AND e.d_tag IS NOT NULL
    AND marina_text_sha256(e.d_tag) = marina_text_sha256(k.d_tag) AND e.d_tag = k.d_tag COLLATE "C"
    AND e.created_at <= k.until
  RETURNING e.relay_id, e.id),
tags AS (
  DELETE FROM event_tags t USING gone WHERE t.relay_id = gone.relay_id AND t.event_id = gone.id)
INSERT INTO deleted_addresses (relay_id, pubkey, kind, d_tag, deleted_until)
SELECT relay_id, pubkey, kind, d_tag, until FROM k
ON CONFLICT (relay_id, pubkey, kind, marina_text_sha256(d_tag))
DO UPDATE SET deleted_until = GREATEST(deleted_addresses.deleted_until, EXCLUDED.deleted_until)
)SQL",
                 std::move(relays).finish(), std::move(pubkeys).finish(), std::move(kinds).finish(),
                 std::move(ds).finish(), std::move(untils).finish());
}

void vanish(pqxx::work& tx, const Groups& groups) {
  ArrayLiteral relays, pubkeys, untils;
  for (const auto& [relay_id, group] : groups) {
    for (const auto& [pubkey, until] : group.plan.vanishes) {
      relays.text(relay_id);
      pubkeys.bytes(pubkey.bytes);
      untils.integer(until);
    }
  }
  if (relays.empty()) return;
  // Requests to vanish (kind 62) stay, as the record of what was asked.
  tx.exec_params(R"SQL(
WITH k AS (
  SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bigint[]) AS k(relay_id, pubkey, until)),
own AS (
  DELETE FROM events e USING k
  WHERE e.relay_id = k.relay_id AND e.pubkey = k.pubkey AND e.created_at <= k.until AND e.kind <> 62
  RETURNING e.relay_id, e.id),
wraps AS (
  DELETE FROM events e USING k, event_tags t
  WHERE t.relay_id = k.relay_id AND t.name = 'p' AND event_tag_key(t.value) = encode(k.pubkey, 'hex')
    AND t.value = encode(k.pubkey, 'hex') AND t.kind = 1059 AND t.created_at <= k.until
    AND e.relay_id = t.relay_id AND e.id = t.event_id
  RETURNING e.relay_id, e.id),
tags AS (
  DELETE FROM event_tags t USING (SELECT * FROM own UNION SELECT * FROM wraps) gone
  WHERE t.relay_id = gone.relay_id AND t.event_id = gone.id)
INSERT INTO vanished_pubkeys (relay_id, pubkey, vanished_until)
SELECT relay_id, pubkey, until FROM k
ON CONFLICT (relay_id, pubkey)
DO UPDATE SET vanished_until = GREATEST(vanished_pubkeys.vanished_until, EXCLUDED.vanished_until)
)SQL",
                 std::move(relays).finish(), std::move(pubkeys).finish(), std::move(untils).finish());
}

void remember_deleted_ids(pqxx::work& tx, const Groups& groups) {
  ArrayLiteral relays, ids, pubkeys;
  for (const auto& [relay_id, group] : groups) {
    for (const auto& [id, pubkey] : group.plan.id_tombstones) {
      relays.text(relay_id);
      ids.bytes(id.bytes);
      pubkeys.bytes(pubkey.bytes);
    }
  }
  if (relays.empty()) return;
  tx.exec_params(
      "INSERT INTO deleted_events (relay_id, id, pubkey) "
      "SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) ON CONFLICT DO NOTHING",
      std::move(relays).finish(), std::move(ids).finish(), std::move(pubkeys).finish());
}

const char* kInsert = R"SQL(
WITH ins AS (
  INSERT INTO events (relay_id, id, pubkey, kind, created_at, d_tag, expires_at, tsv, raw)
  SELECT v.relay_id, v.id, v.pubkey, v.kind, v.created_at, v.d_tag, v.expires_at,
         to_tsvector('simple'::regconfig, v.content), v.raw
  FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::int[], $5::bigint[], $6::text[], $7::bigint[],
              $8::text[], $9::text[])
    AS v(relay_id, id, pubkey, kind, created_at, d_tag, expires_at, content, raw)
  ON CONFLICT (relay_id, id) DO NOTHING
  RETURNING relay_id, id),
tags AS (
  INSERT INTO event_tags (relay_id, event_id, pos, name, value, kind, created_at)
  SELECT t.relay_id, t.event_id, t.pos, t.name, t.value, t.kind, t.created_at
  FROM unnest($10::uuid[], $11::bytea[], $12::int[], $13::text[], $14::text[], $15::int[], $16::bigint[])
    AS t(relay_id, event_id, pos, name, value, kind, created_at)
  WHERE (t.relay_id, t.event_id) IN (SELECT relay_id, id FROM ins))
SELECT relay_id::text, id FROM ins
)SQL";

// Stores the planned inserts; returns (relay id, event id) of each row
// actually inserted.
std::unordered_set<std::string> insert_events(pqxx::work& tx, const Groups& groups) {
  ArrayLiteral relays, ids, pubkeys, kinds, created, ds, expires, contents, raws;
  ArrayLiteral tag_relays, tag_ids, tag_pos, tag_names, tag_values, tag_kinds, tag_created;
  bool any = false;
  for (const auto& [relay_id, group] : groups) {
    for (std::size_t i : group.plan.inserts) {
      any = true;
      const nostr::Event& e = group.requests[i]->event;
      relays.text(relay_id);
      ids.bytes(e.id.bytes);
      pubkeys.bytes(e.pubkey.bytes);
      kinds.integer(e.kind);
      created.integer(e.created_at);
      if (auto address = address_of(e)) {
        ds.text(address->d);
      } else {
        ds.null();
      }
      if (auto at = nostr::nip40::expiration(e)) {
        expires.integer(*at);
      } else {
        expires.null();
      }
      if (auto content = searchable_content(e)) {
        contents.text(*content);
      } else {
        contents.null();
      }
      raws.text(e.raw);
      // One row per distinct (name, value): a repeated tag would make a tag
      // query return its event twice and spend its limit on the copy. The
      // name is one letter, so letter + value is the key.
      std::unordered_set<std::string> seen;
      for (std::size_t pos = 0; pos < e.tags.size(); ++pos) {
        const nostr::Tag& tag = e.tags[pos];
        if (!is_indexed_tag(tag) || !seen.insert(tag[0] + tag[1]).second) continue;
        tag_relays.text(relay_id);
        tag_ids.bytes(e.id.bytes);
        tag_pos.integer(static_cast<std::int64_t>(pos));
        tag_names.text(tag[0]);
        tag_values.text(tag[1]);
        tag_kinds.integer(e.kind);
        tag_created.integer(e.created_at);
      }
    }
  }
  std::unordered_set<std::string> inserted;
  if (!any) return inserted;
  const pqxx::result rows = tx.exec_params(
      kInsert, std::move(relays).finish(), std::move(ids).finish(), std::move(pubkeys).finish(),
      std::move(kinds).finish(), std::move(created).finish(), std::move(ds).finish(), std::move(expires).finish(),
      std::move(contents).finish(), std::move(raws).finish(), std::move(tag_relays).finish(),
      std::move(tag_ids).finish(), std::move(tag_pos).finish(), std::move(tag_names).finish(),
      std::move(tag_values).finish(), std::move(tag_kinds).finish(), std::move(tag_created).finish());
  for (const auto& row : rows) inserted.insert(std::string(row[0].c_str()) + row[1].c_str());
  return inserted;
}

}  // namespace

std::vector<WriteResult> write_batch(pqxx::work& tx, const std::vector<WriteRequest>& batch, std::int64_t now) {
  std::vector<WriteResult> results(batch.size());
  Groups groups;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto relay_id = canonical_uuid(batch[i].relay_id);
    if (!relay_id) {
      results[i] = WriteResult{false, "error: unknown relay", false};
      continue;
    }
    Group& group = groups[*relay_id];
    group.positions.push_back(i);
    group.requests.push_back(&batch[i]);
  }
  if (groups.empty()) return results;

  lock_relays(tx, groups);
  read_prior(tx, groups);
  for (auto& [relay_id, group] : groups) group.plan = plan_writes(group.requests, group.prior, now);
  delete_events(tx, groups);
  delete_addresses(tx, groups);
  vanish(tx, groups);
  remember_deleted_ids(tx, groups);
  const auto inserted = insert_events(tx, groups);

  for (auto& [relay_id, group] : groups) {
    for (std::size_t i : group.plan.inserts) {
      // Under the relay's lock nothing else can have stored this id since
      // read_prior; if the row was there anyway, it is a duplicate.
      const std::string key = relay_id + "\\x" + group.requests[i]->event.id.hex();
      if (!inserted.contains(key)) group.plan.results[i] = WriteResult{true, message::duplicate, false};
    }
    for (std::size_t k = 0; k < group.positions.size(); ++k) results[group.positions[k]] = std::move(group.plan.results[k]);
  }
  return results;
}

}  // namespace marina::store::detail
