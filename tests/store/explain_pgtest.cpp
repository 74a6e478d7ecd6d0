// The plans PostgreSQL picks for the REQ shapes that matter, on a relay big
// enough for a bad plan to show (100k events, beside other relays' rows):
// index scans that stop at the limit, never a sequential scan of the events
// or a sort of everything that matches.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <regex>

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
    pqxx::connection conn(*url_);
    pqxx::nontransaction tx(conn);
    std::string out;
    for (const auto& row : tx.exec_params("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql,
                                          pqxx::prepare::make_dynamic_params(params.values())))
      out += std::string(row[0].c_str()) + "\n";
    // For reading the plans themselves: MARINA_STORE_SHOW_PLANS=1.
    if (std::getenv("MARINA_STORE_SHOW_PLANS") != nullptr) std::cout << nostr::filter_to_json(f) << "\n" << out << "\n";
    return out;
  }

  // Rows that went into the largest Sort node (0 when there is none).
  static long largest_sort(const std::string& plan) {
    static const std::regex sort(R"(Sort \(actual time=[0-9.]+\.\.[0-9.]+ rows=([0-9]+) loops=([0-9]+)\))");
    long largest = 0;
    for (std::sregex_iterator it(plan.begin(), plan.end(), sort), end; it != end; ++it)
      largest = std::max(largest, std::stol((*it)[1]) * std::stol((*it)[2]));
    return largest;
  }

  static void expect_index_plan(const std::string& plan, const std::string& index) {
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
    EXPECT_NE(plan.find(index), std::string::npos) << plan;
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
  // At most limit + one row per author in the first pass, limit per author in the second.
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
        R"({"kinds":[1],"search":"word11 lorem","limit":20})"}) {
    const std::string p = plan(filter(json));
    EXPECT_EQ(p.find("Seq Scan"), std::string::npos) << json << "\n" << p;
    EXPECT_LE(largest_sort(p), 2000) << json << "\n" << p;
  }
}

}  // namespace
}  // namespace marina::store::testing
