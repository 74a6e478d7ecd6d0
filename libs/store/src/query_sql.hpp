#pragma once
// SQL for NIP-01 filters: one statement per REQ or COUNT, every user value a
// parameter ($n), every query scoped to one relay.
//
// Every comparison with an indexed text column says COLLATE "C" on the other
// side: the columns are "C", and a comparison whose collation is in doubt
// (a parameter or an unnest() column is "default") cannot use their index.
//
// A filter is answered from one "driving" index (see choose_driver) read
// newest first, so a query stops after `limit` rows instead of sorting
// everything that matches. When the driving list has several values
// (authors, kinds, tag values), each value's index range is read on its own
// (a LATERAL subquery per value) and the results merged; to avoid reading
// `limit` rows for every value, a first pass reads ceil(limit / values)
// rows per value, whose limit-th newest created_at is a lower bound for the
// answer (at least `limit` distinct matching events are that new), and the
// second pass reads only rows at or above it.
#include <cstdint>
#include <string>
#include <vector>

#include "marina/nostr/filter.hpp"

namespace marina::store::detail {

class SqlParams {
 public:
  // Adds a parameter; returns its placeholder ("$3").
  std::string add(std::string value);
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

// What a filter is answered from.
enum class Driver {
  ids,         // primary key
  tag,         // event_tags by (name, value), one tag condition's values
  author_kind, // events_by_author_kind, one (author, kind) pair per value
  author,      // events_by_author
  kind,        // events_by_kind
  scan,        // events_by_time (or the search index, as the planner sees fit)
};

Driver choose_driver(const nostr::Filter& f);

struct FilterSql {
  std::string relay;  // placeholder of the relay id (uuid)
  // Placeholder (bigint) of the expiration at or before which events are not
  // served (NIP-40); empty: expiration hides nothing.
  std::string hidden_expired_up_to;
};

// A SELECT of (created_at, id, raw) for the filter's `limit` newest
// matching events, newest first, ties by lowest id. `limit` > 0.
std::string filter_query_sql(const nostr::Filter& f, std::uint64_t limit, const FilterSql& at, SqlParams& params);

// A SELECT of the ids (column `id`) of every matching event, for COUNT.
std::string filter_ids_sql(const nostr::Filter& f, const FilterSql& at, SqlParams& params);

}  // namespace marina::store::detail
