#include "write_batch.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

#include "marina/nostr/nip40.hpp"
#include "binary_array.hpp"
#include "sql_array.hpp"
#include "rule_deletions.hpp"
#include "search_lexemes.hpp"
#include "stored_fields.hpp"
#include "tag_rows.hpp"
#include "uuid.hpp"
#include "write_plan.hpp"
#include "write_statements.hpp"

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
  // locks in one global order. Transaction-local settings ride along: the
  // prepared statements' plans are generic (see write_statements.hpp), and
  // notices (a word too long for the search index) are not worth a line on
  // the client's stderr each.
  tx.exec_params(
      "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), "
      "set_config('client_min_messages', 'warning', true), pg_advisory_xact_lock($1::int, k) "
      "FROM unnest($2::int[]) AS k",
      kWriteLockSpace, std::move(array).finish());
}

}  // namespace

void lock_relay_writes(pqxx::work& tx, const std::string& relay_id) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1::int, $2::int)", kWriteLockSpace, relay_lock_key(relay_id));
}

namespace {

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

// What the database holds for every group, in one statement.
std::map<std::string, PriorState> read_prior(pqxx::work& tx, const Groups& groups) {
  using T = BinaryArray::Type;
  BinaryArray id_relays(T::uuid), ids(T::bytea), pubkey_relays(T::uuid), pubkeys(T::bytea);
  BinaryArray address_relays(T::uuid), address_pubkeys(T::bytea), kinds(T::int4), ds(T::text);
  BinaryArray relays(T::uuid);
  for (const auto& [relay_id, group] : groups) {
    relays.uuid(relay_id);
    const LookupKeys keys = lookup_keys(group.requests);
    for (const auto& id : keys.ids) {
      id_relays.uuid(relay_id);
      ids.bytes(id.bytes);
    }
    for (const auto& pubkey : keys.pubkeys) {
      pubkey_relays.uuid(relay_id);
      pubkeys.bytes(pubkey.bytes);
    }
    for (const auto& address : keys.addresses) {
      address_relays.uuid(relay_id);
      address_pubkeys.bytes(address.pubkey.bytes);
      kinds.int4(address.kind);
      ds.text(address.d);
    }
  }
  Params params;
  const char* statement;
  if (groups.size() == 1) {
    // One relay: its partitions are pruned once, when the plan starts.
    statement = statement::read_prior_one;
    params.add_uuid(groups.begin()->first);
    for (BinaryArray* a : {&ids, &pubkeys, &address_pubkeys, &kinds, &ds}) params.add(*a);
  } else {
    statement = statement::read_prior_many;
    for (BinaryArray* a :
         {&id_relays, &ids, &pubkey_relays, &pubkeys, &address_relays, &address_pubkeys, &kinds, &ds, &relays})
      params.add(*a);
  }

  std::map<std::string, PriorState> priors;
  for (const auto& [relay_id, group] : groups) priors[relay_id];
  for (const auto& row : params.run_prepared(tx, statement)) {
    const std::string_view what = row[0].c_str();
    PriorState& prior = priors.at(row[1].c_str());
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
    } else if (what == "count") {
      prior.stored_count = row[6].as<std::int64_t>();
    }
  }
  return priors;
}

// Replaced events and events deleted by `e`, all relays at once.
void delete_listed(pqxx::work& tx, const Groups& groups, std::vector<DeletedEvent>& deleted) {
  BinaryArray relays(BinaryArray::Type::uuid), ids(BinaryArray::Type::bytea);
  for (const auto& [relay_id, group] : groups) {
    for (const auto& id : group.plan.delete_ids) {
      relays.uuid(relay_id);
      ids.bytes(id.bytes);
    }
  }
  if (ids.size() == 0) return;
  Params params;
  params.add(relays);
  params.add(ids);
  const auto gone = params.run_prepared(tx, statement::delete_events);
  for (auto& d : deleted_events_of(gone, 0, 1)) deleted.push_back(std::move(d));
}

void remember_deleted_ids(pqxx::work& tx, const Groups& groups) {
  BinaryArray relays(BinaryArray::Type::uuid), ids(BinaryArray::Type::bytea), pubkeys(BinaryArray::Type::bytea);
  for (const auto& [relay_id, group] : groups) {
    for (const auto& [id, pubkey] : group.plan.id_tombstones) {
      relays.uuid(relay_id);
      ids.bytes(id.bytes);
      pubkeys.bytes(pubkey.bytes);
    }
  }
  if (ids.size() == 0) return;
  Params params;
  params.add(relays);
  params.add(ids);
  params.add(pubkeys);
  params.run_prepared(tx, statement::remember_deleted);
}

// Stores the planned inserts of every relay in one statement.
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
      const auto at = group.requests[i]->nip40 == Nip40::ignore ? std::nullopt : nostr::nip40::expiration(e);
      if (at) {
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
  params.run_prepared(tx, statement::insert);
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
  auto priors = read_prior(tx, groups);
  std::vector<DeletedEvent> deleted;
  for (auto& [relay_id, group] : groups) {
    group.plan = plan_writes(group.requests, priors.at(relay_id), now);
    delete_addresses(tx, relay_id, group.plan, deleted);
    vanish(tx, relay_id, group.plan);
  }
  delete_listed(tx, groups, deleted);
  remember_deleted_ids(tx, groups);
  delete_tag_rows(tx, deleted);
  insert_events(tx, groups);
  for (auto& [relay_id, group] : groups) {
    for (std::size_t k = 0; k < group.positions.size(); ++k) results[group.positions[k]] = std::move(group.plan.results[k]);
  }
  return results;
}

}  // namespace marina::store::detail
