#include "tag_rows.hpp"

#include <set>
#include <unordered_set>

#include "binary_array.hpp"
#include "marina/nostr/event_parse.hpp"
#include "stored_fields.hpp"

namespace marina::store::detail {

void delete_tag_rows(pqxx::work& tx, const std::vector<DeletedEvent>& events) {
  using T = BinaryArray::Type;
  BinaryArray relays(T::uuid), names(T::text), values(T::text), created(T::int8), ids(T::bytea), involved(T::uuid);
  std::set<std::string> relay_ids;
  for (const auto& deleted : events) {
    // What we stored was verified then: no need to check the id again.
    auto e = nostr::parse_event(deleted.raw, nostr::EventParseOptions{.check_id = false});
    // Unparseable JSON cannot have come from the write path; a row left
    // behind would not be served anyway (tag queries join the events).
    if (!e) continue;
    relay_ids.insert(deleted.relay_id);
    std::unordered_set<std::string> seen;
    for (const nostr::Tag& tag : e->tags) {
      if (!is_indexed_tag(tag) || !seen.insert(tag[0] + tag[1]).second) continue;
      relays.uuid(deleted.relay_id);
      names.text(tag[0]);
      values.text(tag[1]);
      created.int8(e->created_at);
      ids.bytes(e->id.bytes);
    }
  }
  if (ids.size() == 0) return;
  for (const auto& relay_id : relay_ids) involved.uuid(relay_id);
  // `relay_id = ANY(<the relays>)` lets the planner prune to their partitions.
  tx.exec_params(R"SQL(
DELETE FROM event_tags t
USING unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::bytea[]) AS k(relay_id, name, value, created_at, event_id)
WHERE t.relay_id = ANY($6::uuid[]) AND t.relay_id = k.relay_id AND t.name = k.name
  AND event_tag_key(t.value) = event_tag_key(k.value COLLATE "C") AND t.created_at = k.created_at
  AND t.event_id = k.event_id
)SQL",
                 relays.finish(), names.finish(), values.finish(), created.finish(), ids.finish(), involved.finish());
}

std::vector<DeletedEvent> deleted_events_of(const pqxx::result& rows, int relay_column, int raw_column) {
  std::vector<DeletedEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows)
    out.push_back(DeletedEvent{row[relay_column].c_str(), std::string(row[raw_column].c_str(), row[raw_column].size())});
  return out;
}

}  // namespace marina::store::detail
