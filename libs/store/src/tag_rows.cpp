#include "tag_rows.hpp"

#include <unordered_set>

#include "binary_array.hpp"
#include "marina/nostr/event_parse.hpp"
#include "stored_fields.hpp"
#include "write_statements.hpp"

namespace marina::store::detail {

void delete_tag_rows(pqxx::work& tx, const std::vector<DeletedEvent>& events) {
  using T = BinaryArray::Type;
  BinaryArray relays(T::uuid), names(T::text), values(T::text), created(T::int8), ids(T::bytea);
  for (const auto& deleted : events) {
    // What we stored was verified then: no need to check the id again.
    auto e = nostr::parse_event(deleted.raw, nostr::EventParseOptions{.check_id = false});
    // Unparseable JSON cannot have come from the write path; a row left
    // behind would not be served anyway (tag queries join the events).
    if (!e) continue;
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
  Params params;
  for (BinaryArray* a : {&relays, &names, &values, &created, &ids}) params.add(*a);
  params.run_prepared(tx, statement::delete_tags);
}

std::vector<DeletedEvent> deleted_events_of(const pqxx::result& rows, int relay_column, int raw_column) {
  std::vector<DeletedEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows)
    out.push_back(DeletedEvent{row[relay_column].c_str(), std::string(row[raw_column].c_str(), row[raw_column].size())});
  return out;
}

}  // namespace marina::store::detail
