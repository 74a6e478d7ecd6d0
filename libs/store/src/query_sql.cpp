#include "query_sql.hpp"

#include <algorithm>

#include "search_lexemes.hpp"
#include "sql_array.hpp"
#include "stored_fields.hpp"

namespace marina::store::detail {

std::string SqlParams::add(std::string value) {
  values_.push_back(std::move(value));
  return "$" + std::to_string(values_.size());
}

namespace {

// Ends a LATERAL subquery that must run as written, once per outer row: a
// subquery with OFFSET is never merged into the outer query, so the planner
// cannot trade the per-row index lookup for a scan of the whole relay. That
// trade is what it makes on tables whose statistics are missing or stale
// (a new relay, a fresh database) and it costs seconds there.
constexpr const char* kFence = " OFFSET 0";

// Above this many (author, kind) pairs a filter is driven by its authors
// alone: the pairs are exact but each costs an index descent.
constexpr std::size_t kMaxAuthorKindPairs = 2000;

template <class Bytes>
std::string bytea_param(const Bytes& b) {
  return "\\x" + b.hex();
}

template <class List>
std::string bytea_array(const List& list) {
  ArrayLiteral a;
  for (const auto& b : list) a.bytes(b.bytes);
  return std::move(a).finish();
}

std::string int_array(const std::vector<nostr::Kind>& kinds) {
  ArrayLiteral a;
  for (auto k : kinds) a.integer(k);
  return std::move(a).finish();
}

std::string text_array(const std::vector<std::string>& values) {
  ArrayLiteral a;
  for (const auto& v : values) a.text(v);
  return std::move(a).finish();
}

// What event_tag_key() makes of a long value: 32 lowercase hex digits.
bool could_be_md5_hex(std::string_view key) {
  return key.size() == 32 &&
         std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string> keys_of(const std::vector<std::string>& values) {
  std::vector<std::string> keys;
  keys.reserve(values.size());
  for (const auto& v : values) keys.push_back(tag_key(v));
  return keys;
}

// Which of the filter's conditions the driving index already applies.
struct Covered {
  bool ids = false;
  bool authors = false;
  bool kinds = false;
  bool time = false;  // since/until, applied on event_tags by the tag driver
  char tag = 0;       // the driving tag letter
};

class Builder {
 public:
  Builder(const nostr::Filter& f, const FilterSql& at, SqlParams& params) : f_(f), at_(at), params_(params) {}

  std::string query(std::uint64_t limit) {
    const Driver driver = choose_driver(f_);
    switch (driver) {
      case Driver::ids: {
        Covered c;
        c.ids = true;
        // A semi-join on the ids: one primary key probe each.
        const std::string ids = "e.id IN (SELECT unnest(" + params_.add(bytea_array(*f_.ids)) + "::bytea[]))";
        return events_inner(ids, conditions(c), "", true, limit);
      }
      case Driver::scan: return events_inner("TRUE", conditions({}), "", true, limit);
      case Driver::kind: {
        Covered c;
        c.kinds = true;
        const std::string conds = conditions(c);
        if (f_.kinds->size() == 1)
          return events_inner("e.kind = " + params_.add(std::to_string(f_.kinds->front())) + "::int", conds, "", true,
                              limit);
        return merged("d(kind) AS (SELECT * FROM unnest(" + params_.add(int_array(*f_.kinds)) + "::int[]))",
                      f_.kinds->size(), limit,
                      [&](const std::string& extra, bool raw, std::uint64_t n) {
                        return events_inner("e.kind = d.kind", conds, extra, raw, n);
                      });
      }
      case Driver::author: {
        Covered c;
        c.authors = true;
        const std::string conds = conditions(c);
        if (f_.authors->size() == 1)
          return events_inner("e.pubkey = " + params_.add(bytea_param(f_.authors->front())) + "::bytea", conds, "",
                              true, limit);
        return merged("d(pubkey) AS (SELECT * FROM unnest(" + params_.add(bytea_array(*f_.authors)) + "::bytea[]))",
                      f_.authors->size(), limit,
                      [&](const std::string& extra, bool raw, std::uint64_t n) {
                        return events_inner("e.pubkey = d.pubkey", conds, extra, raw, n);
                      });
      }
      case Driver::author_kind: {
        Covered c;
        c.authors = true;
        c.kinds = true;
        const std::string conds = conditions(c);
        if (f_.authors->size() == 1 && f_.kinds->size() == 1)
          return events_inner("e.pubkey = " + params_.add(bytea_param(f_.authors->front())) +
                                  "::bytea AND e.kind = " + params_.add(std::to_string(f_.kinds->front())) + "::int",
                              conds, "", true, limit);
        ArrayLiteral pubkeys, kinds;
        for (const auto& author : *f_.authors) {
          for (auto kind : *f_.kinds) {
            pubkeys.bytes(author.bytes);
            kinds.integer(kind);
          }
        }
        return merged("d(pubkey, kind) AS (SELECT * FROM unnest(" + params_.add(std::move(pubkeys).finish()) +
                          "::bytea[], " + params_.add(std::move(kinds).finish()) + "::int[]))",
                      f_.authors->size() * f_.kinds->size(), limit,
                      [&](const std::string& extra, bool raw, std::uint64_t n) {
                        return events_inner("e.pubkey = d.pubkey AND e.kind = d.kind", conds, extra, raw, n);
                      });
      }
      case Driver::tag: return tag_query(limit);
    }
    return {};
  }

  std::string ids() {
    // The tag condition with the fewest values drives (a semi-join from the
    // tag index); the others are checked per event like in query().
    const nostr::TagCondition* driving = fewest_values();
    Covered c;
    if (driving) c.tag = driving->letter;
    std::string sql = "SELECT e.id FROM events e WHERE e.relay_id = " + at_.relay + conditions(c);
    if (driving) {
      sql += " AND e.id IN (SELECT t.event_id FROM " + tag_values_table(*driving, "v") +
             " CROSS JOIN LATERAL (SELECT t.event_id FROM event_tags t WHERE t.relay_id = " + at_.relay +
             " AND t.name = " + letter(driving->letter) + " AND " + tag_value_matches("t", "v") + tag_row_conditions() +
             kFence + ") t)";
    }
    return sql;
  }

 private:
  std::string letter(char c) { return params_.add(std::string(1, c)); }

  // "unnest(keys, values) AS <alias>(key, value)" for a tag condition. Tag
  // conditions join their values row by row rather than `= ANY(array)`: with
  // an array, the planner may check the key as a filter over every row of the
  // tag name instead of seeking it, and then created_at and event_id (after
  // the key in the index) cannot narrow the scan either.
  std::string tag_values_table(const nostr::TagCondition& t, const std::string& alias) {
    return "unnest(" + params_.add(text_array(keys_of(t.values))) + "::text[], " + params_.add(text_array(t.values)) +
           "::text[]) AS " + alias + "(key, value)";
  }

  // `rows`.value is the value in `values` (found by key, then compared in full).
  static std::string tag_value_matches(const std::string& rows, const std::string& values) {
    return "event_tag_key(" + rows + ".value) = " + values + ".key COLLATE \"C\" AND " + rows + ".value = " + values +
           ".value COLLATE \"C\"";
  }

  // Conditions event_tags rows can check themselves (they carry kind and created_at).
  std::string tag_row_conditions() {
    std::string sql;
    if (f_.kinds) sql += " AND t.kind = ANY(" + params_.add(int_array(*f_.kinds)) + "::int[])";
    if (f_.since) sql += " AND t.created_at >= " + params_.add(std::to_string(*f_.since)) + "::bigint";
    if (f_.until) sql += " AND t.created_at <= " + params_.add(std::to_string(*f_.until)) + "::bigint";
    return sql;
  }

  // " AND ..." for every condition on events `e` that `c` does not cover,
  // tag conditions as EXISTS on the event's own tag rows.
  std::string conditions(const Covered& c) {
    std::string sql;
    if (f_.ids && !c.ids) sql += " AND e.id = ANY(" + params_.add(bytea_array(*f_.ids)) + "::bytea[])";
    if (f_.authors && !c.authors) sql += " AND e.pubkey = ANY(" + params_.add(bytea_array(*f_.authors)) + "::bytea[])";
    if (f_.kinds && !c.kinds) sql += " AND e.kind = ANY(" + params_.add(int_array(*f_.kinds)) + "::int[])";
    if (f_.since && !c.time) sql += " AND e.created_at >= " + params_.add(std::to_string(*f_.since)) + "::bigint";
    if (f_.until && !c.time) sql += " AND e.created_at <= " + params_.add(std::to_string(*f_.until)) + "::bigint";
    for (const auto& t : f_.tags) {
      if (t.letter == c.tag) continue;
      // The event's own rows, found by every column of event_tags_by_value
      // (there is no index by event alone).
      sql += " AND EXISTS (SELECT 1 FROM " + tag_values_table(t, "v") +
             " CROSS JOIN LATERAL (SELECT 1 FROM event_tags x WHERE x.relay_id = " + at_.relay + " AND x.name = " +
             letter(t.letter) + " AND " + tag_value_matches("x", "v") +
             " AND x.created_at = e.created_at AND x.event_id = e.id" + kFence + ") hit)";
    }
    if (f_.search) {
      if (auto query = search_tsquery(*f_.search)) sql += " AND e.tsv @@ " + params_.add(*query) + "::tsquery";
    }
    // NIP-40: not served once expired (as the relay's configuration says), purged or not.
    if (!at_.hidden_expired_up_to.empty())
      sql += " AND (e.expires_at IS NULL OR e.expires_at > " + at_.hidden_expired_up_to + ")";
    return sql;
  }

  std::string events_inner(const std::string& driver, const std::string& conds, const std::string& extra, bool raw,
                           std::uint64_t limit) {
    return "SELECT e.created_at, e.id" + std::string(raw ? ", e.raw" : "") + " FROM events e WHERE e.relay_id = " +
           at_.relay + " AND " + driver + conds + (extra.empty() ? "" : " AND e.created_at >= " + extra) +
           " ORDER BY e.created_at DESC, e.id LIMIT " + std::to_string(limit);
  }

  const nostr::TagCondition* fewest_values() const {
    const nostr::TagCondition* driving = nullptr;
    for (const auto& t : f_.tags)
      if (!driving || t.values.size() < driving->values.size()) driving = &t;
    return driving;
  }

  std::string tag_query(std::uint64_t limit) {
    // Drive by the tag condition with the fewest values.
    const nostr::TagCondition* driving = fewest_values();
    Covered c;
    c.kinds = true;
    c.time = true;
    c.tag = driving->letter;
    const std::string head = "t.relay_id = " + at_.relay + " AND t.name = " + letter(driving->letter);
    const std::string tag_conds = tag_row_conditions();
    const std::string event_conds = conditions(c);
    auto inner = [&](const std::string& value, const std::string& extra, bool raw, std::uint64_t n) {
      // DISTINCT ON costs nothing on rows already in this order (a Unique
      // node, no sort) and keeps an event to one row even if its tag rows
      // were ever stored twice. Each tag row's event is looked up by key.
      return "SELECT DISTINCT ON (t.created_at, t.event_id) t.created_at, t.event_id AS id" +
             std::string(raw ? ", e.raw" : "") +
             " FROM event_tags t CROSS JOIN LATERAL (SELECT e.raw FROM events e WHERE e.relay_id = " + at_.relay +
             " AND e.id = t.event_id" + event_conds + kFence + ") e WHERE " + head + " AND " + value + tag_conds +
             (extra.empty() ? "" : " AND t.created_at >= " + extra) + " ORDER BY t.created_at DESC, t.event_id LIMIT " +
             std::to_string(n);
    };
    if (driving->values.size() == 1) {
      const std::string& v = driving->values.front();
      const std::string key = tag_key(v);
      // event_tag_key() is the value itself up to 200 bytes, else its md5 in
      // hex: a key that cannot be an md5 can only be the value, so the value
      // is not compared again. That matters for the plan: PostgreSQL takes
      // the two equalities as independent, multiplies their selectivities,
      // and expects a couple of rows where there are thousands; then reading
      // and sorting every match (a bitmap scan) looks as cheap as reading the
      // newest `limit` in index order, and ANALYZE's random sample decides.
      std::string matches = "event_tag_key(t.value) = " + params_.add(key) + " COLLATE \"C\"";
      if (could_be_md5_hex(key)) matches += " AND t.value = " + params_.add(v) + " COLLATE \"C\"";
      return inner(matches, "", true, limit);
    }
    return merged("d(key, value) AS (SELECT * FROM unnest(" + params_.add(text_array(keys_of(driving->values))) +
                      "::text[], " + params_.add(text_array(driving->values)) + "::text[]))",
                  driving->values.size(), limit, [&](const std::string& extra, bool raw, std::uint64_t n) {
                    return inner(tag_value_matches("t", "d"), extra, raw, n);
                  });
  }

  // The two-pass merge over the driving values in CTE `d` (see the header).
  template <class Inner>
  std::string merged(const std::string& values_cte, std::size_t values, std::uint64_t limit, Inner inner) {
    const std::uint64_t per_value = std::max<std::uint64_t>(1, (limit + values - 1) / values);
    const std::string l = std::to_string(limit);
    return "WITH " + values_cte +
           ", cut AS (SELECT CASE WHEN count(*) >= " + l + " THEN min(s.c) ELSE -1 END AS c FROM ("
           "SELECT DISTINCT x.created_at AS c, x.id FROM d CROSS JOIN LATERAL (" +
           inner("", false, per_value) + ") x ORDER BY c DESC LIMIT " + l +
           ") s) "
           "SELECT DISTINCT ON (x.created_at, x.id) x.created_at, x.id, x.raw FROM d CROSS JOIN cut "
           "CROSS JOIN LATERAL (" +
           inner("cut.c", true, limit) + ") x ORDER BY x.created_at DESC, x.id LIMIT " + l;
  }

  const nostr::Filter& f_;
  const FilterSql& at_;
  SqlParams& params_;
};

}  // namespace

Driver choose_driver(const nostr::Filter& f) {
  if (f.ids) return Driver::ids;
  if (!f.tags.empty()) return Driver::tag;
  if (f.authors) {
    if (f.kinds && f.authors->size() * f.kinds->size() <= kMaxAuthorKindPairs) return Driver::author_kind;
    return Driver::author;
  }
  // A search filter is left to the planner: reading one kind newest first
  // and testing every row against a rare word could scan the whole kind,
  // while the search index finds the few rows at once.
  if (f.search && search_tsquery(*f.search)) return Driver::scan;
  if (f.kinds) return Driver::kind;
  return Driver::scan;
}

std::string filter_query_sql(const nostr::Filter& f, std::uint64_t limit, const FilterSql& at, SqlParams& params) {
  return Builder(f, at, params).query(limit);
}

std::string filter_ids_sql(const nostr::Filter& f, const FilterSql& at, SqlParams& params) {
  return Builder(f, at, params).ids();
}

}  // namespace marina::store::detail
