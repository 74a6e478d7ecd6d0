// The plans PostgreSQL picks for the REQ shapes that matter, on a relay big
// enough for a bad plan to show (100k events, beside other relays' rows):
// index scans that stop at the limit, never a sequential scan of the events
// or a sort of everything that matches.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "marina/nostr/sha256.hpp"
#include "query_sql.hpp"
#include "store_fixture.hpp"
#include "synthetic_events.hpp"

namespace marina::store::testing {
namespace {

constexpr int kAuthors = 1000;

class ExplainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    url_ = new std::string(fresh_migrated_database());
    relay_ = new std::string(new_relay_id());
    pqxx::connection conn(*url_);
    insert_synthetic_events(conn, *relay_, 0, 100000, kAuthors, 1600000000);
    insert_synthetic_events(conn, new_relay_id(), 0, 25000, kAuthors, 1600000000);
    insert_synthetic_events(conn, new_relay_id(), 0, 25000, kAuthors, 1600000000);
    pqxx::nontransaction tx(conn);
    tx.exec("ANALYZE events");
    tx.exec("ANALYZE event_tags");
  }
  static void TearDownTestSuite() {
    delete url_;
    delete relay_;
  }

  // EXPLAIN ANALYZE of the statement query() sends for `f`.
  static std::string plan(const nostr::Filter& f) {
    detail::SqlParams params;
    const detail::FilterSql at{params.add(*relay_) + "::uuid", params.add("1700000000") + "::bigint"};
    const std::string sql = detail::filter_query_sql(f, f.limit.value_or(500), at, params);
    return explain(sql, params, nostr::filter_to_json(f));
  }

  static std::string explain(const std::string& sql, const detail::SqlParams& params, const std::string& what) {
    pqxx::connection conn(*url_);
    pqxx::nontransaction tx(conn);
    std::string out;
    for (const auto& row : tx.exec_params("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql,
                                          pqxx::prepare::make_dynamic_params(params.values())))
      out += std::string(row[0].c_str()) + "\n";
    // For reading the plans themselves: MARINA_STORE_SHOW_PLANS=1.
    if (std::getenv("MARINA_STORE_SHOW_PLANS") != nullptr) std::cout << what << "\n" << out << "\n";
    return out;
  }

  // EXPLAIN ANALYZE of the statement count() sends for `f`.
  static std::string count_plan(const nostr::Filter& f) {
    detail::SqlParams params;
    const detail::FilterSql at{params.add(*relay_) + "::uuid", params.add("1700000000") + "::bigint"};
    const std::string sql = "SELECT count(*) FROM (" + detail::filter_ids_sql(f, at, params) + ") c";
    return explain(sql, params, nostr::filter_to_json(f) + " (COUNT)");
  }

  // Rows that went into the largest Sort node (0 when there is none).
  static long largest_sort(const std::string& plan) {
    long largest = 0;
    std::istringstream lines(plan);
    for (std::string line; std::getline(lines, line);) {
      // "->  Sort (actual time=0.1..0.2 rows=100 loops=1)" (not "Sort Key:" or "Sort Method:")
      if (line.find("Sort (actual") == std::string::npos) continue;
      const auto rows = line.find("rows="), loops = line.find("loops=");
      if (rows == std::string::npos || loops == std::string::npos) continue;
      largest = std::max(largest, std::stol(line.substr(rows + 5)) * std::stol(line.substr(loops + 6)));
    }
    return largest;
  }

  static void expect_index_plan(const std::string& plan, const std::string& index) {
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
    EXPECT_NE(plan.find(index), std::string::npos) << plan;
    expect_tag_keys_in_index_conditions(plan);
  }

  // A tag value's key (event_tag_key(), inlined as a CASE with md5) must be
  // part of the index condition: as a filter, the scan would read every row
  // of the tag name.
  static void expect_tag_keys_in_index_conditions(const std::string& plan) {
    std::istringstream lines(plan);
    for (std::string line; std::getline(lines, line);)
      EXPECT_FALSE(line.find("Filter:") != std::string::npos && line.find("md5(") != std::string::npos) << plan;
  }

  static std::string* url_;
  static std::string* relay_;
};

std::string* ExplainTest::url_ = nullptr;
std::string* ExplainTest::relay_ = nullptr;

TEST_F(ExplainTest, OneKindReadsTheKindIndexNewestFirstWithoutSorting) {
  const std::string p = plan(filter(R"({"kinds":[1],"limit":50})"));
  expect_index_plan(p, "relay_id_kind_created_at_id_idx");
  EXPECT_EQ(p.find("Sort"), std::string::npos) << p;
}

TEST_F(ExplainTest, TenAuthorsReadEachAuthorsIndexRangeAndSortOnlyWhatTheyRead) {
  std::string authors;
  for (int i = 0; i < 10; ++i) authors += std::string(i ? "," : "") + "\"" + synthetic_author(i * 37).hex() + "\"";
  const std::string p = plan(filter(R"({"authors":[)" + authors + R"(],"limit":100})"));
  expect_index_plan(p, "relay_id_pubkey_created_at_id_idx");
  // The merge sorts what the per-author passes read (at most limit + one row
  // per author, then limit per author), never the authors' whole histories.
  EXPECT_GT(largest_sort(p), 0) << p;
  EXPECT_LE(largest_sort(p), 10 * 100) << p;
}

TEST_F(ExplainTest, OneTagValueReadsTheTagIndexNewestFirstThenEventsByKey) {
  const std::string p = plan(filter(R"({"#t":["x"],"limit":50})"));
  expect_index_plan(p, "Index Scan using event_tags_p");
  EXPECT_NE(p.find("_pkey on events_p"), std::string::npos) << p;
  EXPECT_EQ(p.find("Sort"), std::string::npos) << p;
}

TEST_F(ExplainTest, OtherShapesUseAnIndexToo) {
  const std::string author = synthetic_author(5).hex();
  for (const std::string& json : std::vector<std::string>{
           R"({"limit":20})", R"({"since":1600050000,"until":1600050100})", R"({"kinds":[1,7],"limit":20})",
        R"({"authors":[")" + author + R"("],"kinds":[1],"limit":20})",
        R"({"#t":["x","tag7"],"kinds":[1],"limit":20})", R"({"search":"word11","limit":20})",
        R"({"#t":["x"],"#p":[")" + author + R"("],"limit":20})",
        R"({"#p":[")" + author + R"(",")" + synthetic_author(6).hex() + R"("],"#t":["tag7","tag8","tag9"],"limit":20})",
        R"({"kinds":[1],"search":"word11 lorem","limit":20})"}) {
    const std::string p = plan(filter(json));
    EXPECT_EQ(p.find("Seq Scan"), std::string::npos) << json << "\n" << p;
    expect_tag_keys_in_index_conditions(p);
    EXPECT_LE(largest_sort(p), 2000) << json << "\n" << p;
  }
}

TEST_F(ExplainTest, CommonCountsStartFromTheTagIndex) {
  // NIP-45's reaction and follower counts.
  const std::string target = nostr::sha256(std::string("target:7")).hex();
  for (const std::string& json : std::vector<std::string>{
           R"({"#e":[")" + target + R"("],"kinds":[7]})", R"({"#p":[")" + synthetic_author(6).hex() + R"("],"kinds":[3]})",
           R"({"#t":["x"],"#p":[")" + synthetic_author(6).hex() + R"("]})", R"({"kinds":[1],"authors":[")" +
           synthetic_author(6).hex() + R"("]})"}) {
    const std::string p = count_plan(filter(json));
    EXPECT_EQ(p.find("Seq Scan"), std::string::npos) << json << "\n" << p;
    expect_tag_keys_in_index_conditions(p);
  }
}

}  // namespace
}  // namespace marina::store::testing
