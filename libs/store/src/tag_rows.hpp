#pragma once
// Removing the event_tags rows of events that were deleted.
//
// event_tags has no index by event (see migrations/0003_events.sql): the
// rows of an event are found through event_tags_by_value from the tags in
// the event's own JSON, which every statement that deletes events returns.
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace marina::store::detail {

struct DeletedEvent {
  std::string relay_id;  // canonical uuid
  std::string raw;       // the stored JSON
};

// Deletes the tag rows of `events` in `tx`.
void delete_tag_rows(pqxx::work& tx, const std::vector<DeletedEvent>& events);

// Reads DeletedEvent rows from a result whose columns `relay_column` and
// `raw_column` hold the relay id (as text) and the raw JSON.
std::vector<DeletedEvent> deleted_events_of(const pqxx::result& rows, int relay_column, int raw_column);

}  // namespace marina::store::detail
