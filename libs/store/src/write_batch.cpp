#include "write_batch.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

#include "marina/nostr/nip40.hpp"
#include "binary_array.hpp"
#include "sql_array.hpp"
#include "search_lexemes.hpp"
#include "stored_fields.hpp"
#include "tag_rows.hpp"
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

// Parameters of one statement, all sent in binary.
class Params {
 public:
  // Adds a parameter; returns its placeholder ("$3").
  std::string add(pqxx::binarystring value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  std::string add(BinaryArray& array) { return add(array.finish()); }
  std::string add_uuid(const std::string& canonical) {
    const auto b = uuid_bytes(canonical);
    return add(pqxx::binarystring(b.data(), b.size()));
  }
  pqxx::result run(pqxx::work& tx, const std::string& sql) const {
    return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values_));
  }
  pqxx::result run_prepared(pqxx::work& tx, const std::string& statement) const {
    return tx.exec_prepared(statement, pqxx::prepare::make_dynamic_params(values_));
  }

 private:
  std::vector<pqxx::binarystring> values_;
};

// Every statement below names its relay as a constant ($1), so the planner
// prunes to that relay's partition: planning stays cheap however many
// partitions there are.
constexpr const char* kReadPriorName = "marina_store_read_prior";
// Keys are joined row by row from unnest() rather than `= ANY(array)`, which
// the planner may check as a filter over the whole relay instead of seeking.
constexpr const char* kReadPrior = R"SQL(
SELECT 'stored', e.id, e.pubkey, e.kind, NULL::text, e.created_at
  FROM unnest($2::bytea[]) AS k(id) JOIN events e ON e.relay_id = $1::uuid AND e.id = k.id
UNION ALL
SELECT 'deleted_id', x.id, x.pubkey, NULL, NULL, NULL
  FROM unnest($2::bytea[]) AS k(id) JOIN deleted_events x ON x.relay_id = $1::uuid AND x.id = k.id
UNION ALL
SELECT 'vanished', NULL, x.pubkey, NULL, NULL, x.vanished_until
  FROM unnest($3::bytea[]) AS k(pubkey) JOIN vanished_pubkeys x ON x.relay_id = $1::uuid AND x.pubkey = k.pubkey
UNION ALL
SELECT 'current', e.id, e.pubkey, e.kind, e.d_tag, e.created_at
  FROM unnest($4::bytea[], $5::int[], $6::text[]) AS k(pubkey, kind, d_tag)
  JOIN events e ON e.relay_id = $1::uuid AND e.pubkey = k.pubkey AND e.kind = k.kind AND e.d_tag IS NOT NULL
   AND marina_text_sha256(e.d_tag) = marina_text_sha256(k.d_tag) AND e.d_tag = k.d_tag COLLATE "C"
UNION ALL
SELECT 'deleted_address', NULL, x.pubkey, x.kind, x.d_tag, x.deleted_until
  FROM unnest($4::bytea[], $5::int[], $6::text[]) AS k(pubkey, kind, d_tag)
  JOIN deleted_addresses x ON x.relay_id = $1::uuid AND x.pubkey = k.pubkey AND x.kind = k.kind
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

PriorState read_prior(pqxx::work& tx, const std::string& relay_id, const Group& group) {
  const LookupKeys keys = lookup_keys(group.requests);
  BinaryArray ids(BinaryArray::Type::bytea), pubkeys(BinaryArray::Type::bytea);
  BinaryArray address_pubkeys(BinaryArray::Type::bytea), kinds(BinaryArray::Type::int4), ds(BinaryArray::Type::text);
  for (const auto& id : keys.ids) ids.bytes(id.bytes);
  for (const auto& pubkey : keys.pubkeys) pubkeys.bytes(pubkey.bytes);
  for (const auto& address : keys.addresses) {
    address_pubkeys.bytes(address.pubkey.bytes);
    kinds.int4(address.kind);
    ds.text(address.d);
  }
  Params params;
  params.add_uuid(relay_id);
  params.add(ids);
  params.add(pubkeys);
  params.add(address_pubkeys);
  params.add(kinds);
  params.add(ds);

  PriorState prior;
  for (const auto& row : params.run_prepared(tx, kReadPriorName)) {
    const std::string_view what = row[0].c_str();
    if (what == "stored") {
      const auto id = event_id_field(row[1]);
      prior.stored.emplace(id, StoredEvent{id, pubkey_field(row[2]), row[3].as<nostr::Kind>(), row[5].as<std::int64_t>()});
    } else if (what == "deleted_id") {
      prior.deleted_ids[event_id_field(row[1])].push_back(pubkey_field(row[2]));
    } else if (what == "vanished") {
      prior.vanished[pubkey_field(row[2])] = row[5].as<std::int64_t>();
    } else if (what == "current") {
      const auto pubkey = pubkey_field(row[2]);
      const auto kind = row[3].as<nostr::Kind>();
      prior.current[Address{pubkey, kind, row[4].c_str()}] =
          StoredEvent{event_id_field(row[1]), pubkey, kind, row[5].as<std::int64_t>()};
    } else if (what == "deleted_address") {
      prior.deleted_addresses[Address{pubkey_field(row[2]), row[3].as<nostr::Kind>(), row[4].c_str()}] =
          row[5].as<std::int64_t>();
    }
  }
  return prior;
}

// The plan's deletions and tombstones for one relay, in one statement built
// from the parts the plan needs (data-modifying CTEs all run to completion),
// then the deleted events' tag rows.
void apply_deletions(pqxx::work& tx, const std::string& relay_id, const WritePlan& plan) {
  if (plan.delete_ids.empty() && plan.address_deletions.empty() && plan.vanishes.empty() &&
      plan.id_tombstones.empty())
    return;
  Params params;
  const std::string relay = params.add_uuid(relay_id) + "::uuid";
  std::vector<std::string> ctes, gone;

  if (!plan.delete_ids.empty()) {
    BinaryArray ids(BinaryArray::Type::bytea);
    for (const auto& id : plan.delete_ids) ids.bytes(id.bytes);
    ctes.push_back("gone_ids AS (DELETE FROM events e USING unnest(" + params.add(ids) +
                   "::bytea[]) AS k(id) WHERE e.relay_id = " + relay + " AND e.id = k.id RETURNING e.raw)");
    gone.push_back("SELECT raw FROM gone_ids");
  }
  if (!plan.address_deletions.empty()) {
    BinaryArray pubkeys(BinaryArray::Type::bytea), kinds(BinaryArray::Type::int4), ds(BinaryArray::Type::text),
        untils(BinaryArray::Type::int8);
    for (const auto& [address, until] : plan.address_deletions) {
      pubkeys.bytes(address.pubkey.bytes);
      kinds.int4(address.kind);
      ds.text(address.d);
      untils.int8(until);
    }
    ctes.push_back("a AS (SELECT * FROM unnest(" + params.add(pubkeys) + "::bytea[], " + params.add(kinds) +
                   "::int[], " + params.add(ds) + "::text[], " + params.add(untils) +
                   "::bigint[]) AS a(pubkey, kind, d_tag, until))");
    ctes.push_back("gone_addresses AS (DELETE FROM events e USING a WHERE e.relay_id = " + relay +
                   " AND e.pubkey = a.pubkey AND e.kind = a.kind AND e.d_tag IS NOT NULL"
                   " AND marina_text_sha256(e.d_tag) = marina_text_sha256(a.d_tag)"
                   " AND e.d_tag = a.d_tag COLLATE \"C\" AND e.created_at <= a.until RETURNING e.raw)");
    ctes.push_back("address_tombstones AS (INSERT INTO deleted_addresses (relay_id, pubkey, kind, d_tag, deleted_until)"
                   " SELECT " + relay + ", pubkey, kind, d_tag, until FROM a"
                   " ON CONFLICT (relay_id, pubkey, kind, marina_text_sha256(d_tag)) DO UPDATE"
                   " SET deleted_until = GREATEST(deleted_addresses.deleted_until, EXCLUDED.deleted_until))");
    gone.push_back("SELECT raw FROM gone_addresses");
  }
  if (!plan.vanishes.empty()) {
    BinaryArray pubkeys(BinaryArray::Type::bytea), untils(BinaryArray::Type::int8);
    for (const auto& [pubkey, until] : plan.vanishes) {
      pubkeys.bytes(pubkey.bytes);
      untils.int8(until);
    }
    ctes.push_back("v AS (SELECT * FROM unnest(" + params.add(pubkeys) + "::bytea[], " + params.add(untils) +
                   "::bigint[]) AS v(pubkey, until))");
    // Requests to vanish (kind 62) stay, as the record of what was asked.
    ctes.push_back("gone_own AS (DELETE FROM events e USING v WHERE e.relay_id = " + relay +
                   " AND e.pubkey = v.pubkey AND e.created_at <= v.until AND e.kind <> 62 RETURNING e.raw)");
    ctes.push_back("gone_wraps AS (DELETE FROM events e USING v, event_tags t WHERE t.relay_id = " + relay +
                   " AND t.name = 'p' AND event_tag_key(t.value) = encode(v.pubkey, 'hex') COLLATE \"C\""
                   " AND t.value = encode(v.pubkey, 'hex') COLLATE \"C\" AND t.kind = 1059 AND t.created_at <= v.until"
                   " AND e.relay_id = " + relay + " AND e.id = t.event_id RETURNING e.raw)");
    ctes.push_back("vanish_tombstones AS (INSERT INTO vanished_pubkeys (relay_id, pubkey, vanished_until)"
                   " SELECT " + relay + ", pubkey, until FROM v ON CONFLICT (relay_id, pubkey) DO UPDATE"
                   " SET vanished_until = GREATEST(vanished_pubkeys.vanished_until, EXCLUDED.vanished_until))");
    gone.push_back("SELECT raw FROM gone_own");
    gone.push_back("SELECT raw FROM gone_wraps");
  }
  if (!plan.id_tombstones.empty()) {
    BinaryArray ids(BinaryArray::Type::bytea), pubkeys(BinaryArray::Type::bytea);
    for (const auto& [id, pubkey] : plan.id_tombstones) {
      ids.bytes(id.bytes);
      pubkeys.bytes(pubkey.bytes);
    }
    ctes.push_back("id_tombstones AS (INSERT INTO deleted_events (relay_id, id, pubkey) SELECT " + relay +
                   ", * FROM unnest(" + params.add(ids) + "::bytea[], " + params.add(pubkeys) +
                   "::bytea[]) ON CONFLICT DO NOTHING)");
  }
  std::string sql = "WITH ";
  for (std::size_t i = 0; i < ctes.size(); ++i) sql += (i ? ",\n" : "") + ctes[i];
  if (gone.empty()) {
    params.run(tx, sql + "\nSELECT 1");
    return;
  }
  // An event two parts deleted (a gift wrap by the vanishing pubkey to
  // itself) is returned by one of them only.
  sql += "\nSELECT raw FROM (";
  for (std::size_t i = 0; i < gone.size(); ++i) sql += (i ? " UNION ALL " : "") + gone[i];
  sql += ") gone";
  std::vector<DeletedEvent> deleted;
  for (const auto& row : params.run(tx, sql)) deleted.push_back(DeletedEvent{relay_id, row[0].c_str()});
  delete_tag_rows(tx, deleted);
}

// No ON CONFLICT: under the relay's lock, read_prior saw every stored id,
// so a conflict cannot happen; if one did, the batch would fail and its retry
// would find the row and answer "duplicate". Skipping the speculative
// insertion saves an index probe per event.
constexpr const char* kInsertName = "marina_store_insert";
constexpr const char* kInsert = R"SQL(
WITH ins AS (
  INSERT INTO events (relay_id, id, pubkey, kind, created_at, d_tag, expires_at, tsv, raw)
  SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::int[], $5::bigint[], $6::text[], $7::bigint[],
                       $8::tsvector[], $9::text[]))
INSERT INTO event_tags (relay_id, event_id, pos, name, value, kind, created_at)
SELECT * FROM unnest($10::uuid[], $11::bytea[], $12::int[], $13::text[], $14::text[], $15::int[], $16::bigint[])
)SQL";

// Stores the planned inserts of every relay in one statement (inserts need
// no pruning: rows are routed to partitions as they go).
void insert_events(pqxx::work& tx, const Groups& groups) {
  using T = BinaryArray::Type;
  BinaryArray relays(T::uuid), ids(T::bytea), pubkeys(T::bytea), kinds(T::int4), created(T::int8), ds(T::text),
      expires(T::int8), words(T::tsvector), raws(T::text);
  BinaryArray tag_relays(T::uuid), tag_ids(T::bytea), tag_pos(T::int4), tag_names(T::text), tag_values(T::text),
      tag_kinds(T::int4), tag_created(T::int8);
  for (const auto& [relay_id, group] : groups) {
    for (std::size_t i : group.plan.inserts) {
      const nostr::Event& e = group.requests[i]->event;
      relays.uuid(relay_id);
      ids.bytes(e.id.bytes);
      pubkeys.bytes(e.pubkey.bytes);
      kinds.int4(e.kind);
      created.int8(e.created_at);
      if (auto address = address_of(e)) {
        ds.text(address->d);
      } else {
        ds.null();
      }
      if (auto at = nostr::nip40::expiration(e)) {
        expires.int8(*at);
      } else {
        expires.null();
      }
      const auto content = searchable_content(e);
      const auto lexemes = content ? search_lexemes(*content) : std::vector<std::string>{};
      if (!lexemes.empty()) {
        words.encoded(tsvector_binary(lexemes));
      } else {
        words.null();
      }
      raws.text(e.raw);
      // One row per distinct (name, value): a repeated tag would make a tag
      // query return its event twice and spend its limit on the copy. The
      // name is one letter, so letter + value is the key.
      std::unordered_set<std::string> seen;
      for (std::size_t pos = 0; pos < e.tags.size(); ++pos) {
        const nostr::Tag& tag = e.tags[pos];
        if (!is_indexed_tag(tag) || !seen.insert(tag[0] + tag[1]).second) continue;
        tag_relays.uuid(relay_id);
        tag_ids.bytes(e.id.bytes);
        tag_pos.int4(static_cast<std::int32_t>(pos));
        tag_names.text(tag[0]);
        tag_values.text(tag[1]);
        tag_kinds.int4(e.kind);
        tag_created.int8(e.created_at);
      }
    }
  }
  if (ids.size() == 0) return;
  Params params;
  for (BinaryArray* a : {&relays, &ids, &pubkeys, &kinds, &created, &ds, &expires, &words, &raws, &tag_relays,
                         &tag_ids, &tag_pos, &tag_names, &tag_values, &tag_kinds, &tag_created})
    params.add(*a);
  params.run_prepared(tx, kInsertName);
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
  for (auto& [relay_id, group] : groups) {
    const PriorState prior = read_prior(tx, relay_id, group);
    group.plan = plan_writes(group.requests, prior, now);
    apply_deletions(tx, relay_id, group.plan);
  }
  insert_events(tx, groups);
  for (auto& [relay_id, group] : groups) {
    for (std::size_t k = 0; k < group.positions.size(); ++k) results[group.positions[k]] = std::move(group.plan.results[k]);
  }
  return results;
}

void prepare_write_statements(pg::Pool& pool) {
  pool.prepare(kReadPriorName, kReadPrior);
  pool.prepare(kInsertName, kInsert);
}

}  // namespace marina::store::detail
