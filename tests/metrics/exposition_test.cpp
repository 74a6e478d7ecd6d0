// The whole registry serialized and read back by an independent parser.
#include <gtest/gtest.h>

#include <cmath>

#include "exposition_parser.hpp"
#include "marina/metrics/process.hpp"
#include "marina/metrics/registry.hpp"

namespace marina::metrics {
namespace {

using testing::parse_exposition;

TEST(Exposition, EveryTypeWithTrickyLabelsParsesBack) {
  Registry r;
  auto& requests = r.counter("marina_test_requests_total", "Requests with a \\ backslash\nand a newline.",
                             {"method", "path"});
  requests.with({"GET", "/a\"quoted\"/b"}).inc(3);
  requests.with({"POST", "C:\\dir\\file"}).inc();
  requests.with({"PUT", "line1\nline2"}).inc(0.5);
  requests.with({"DELETE", "ünïcødé ✓ {} = , #"}).inc();
  requests.with({"GET", ""}).inc();

  auto& temp = r.gauge("marina_test_temperature", "A gauge that takes odd values.", {"where"});
  temp.with({"pos"}).set(std::numeric_limits<double>::infinity());
  temp.with({"neg"}).set(-std::numeric_limits<double>::infinity());
  temp.with({"nan"}).set(std::numeric_limits<double>::quiet_NaN());
  temp.with({"small"}).set(1e-7);
  temp.with({"big"}).set(1234567.0);
  temp.with({"neg_frac"}).set(-0.25);

  r.gauge("marina_test_unlabelled", "No labels at all.").with().set(42);

  auto& latency = r.histogram("marina_test_latency_seconds", "Latency.", {"route"}, {0.01, 0.1, 1, 100000});
  auto root = latency.with({"/"});
  for (double v : {0.005, 0.01, 0.05, 0.5, 5.0, 1e9}) root.observe(v);
  latency.with({"/x"}).observe(0.2);
  r.histogram("marina_test_empty_seconds", "Never observed, one series.").with();

  r.callback_gauge("marina_test_queue_depth", "Computed at scrape.", [] { return 7.0; });
  r.callback_gauge("marina_test_broken_probe", "Throws at scrape.", []() -> double { throw std::runtime_error("x"); });
  register_process_metrics(r);

  std::string text = r.serialize();
  testing::Exposition e;
  ASSERT_NO_THROW(e = parse_exposition(text)) << text;

  const auto* req = e.find("marina_test_requests_total");
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->type, "counter");
  EXPECT_EQ(req->help, "Requests with a \\ backslash\nand a newline.");
  std::map<std::string, double> by_path;
  for (const auto& s : req->samples) by_path[*s.label("path")] = s.value;
  EXPECT_EQ(by_path.at("/a\"quoted\"/b"), 3);
  EXPECT_EQ(by_path.at("C:\\dir\\file"), 1);
  EXPECT_EQ(by_path.at("line1\nline2"), 0.5);
  EXPECT_EQ(by_path.at("ünïcødé ✓ {} = , #"), 1);
  EXPECT_EQ(by_path.at(""), 1);

  const auto* t = e.find("marina_test_temperature");
  ASSERT_NE(t, nullptr);
  std::map<std::string, std::string> temps;
  for (const auto& s : t->samples) temps[*s.label("where")] = s.value_text;
  EXPECT_EQ(temps.at("pos"), "+Inf");
  EXPECT_EQ(temps.at("neg"), "-Inf");
  EXPECT_EQ(temps.at("nan"), "NaN");
  EXPECT_EQ(temps.at("small"), "1e-07");
  EXPECT_EQ(temps.at("big"), "1.234567e+06");
  EXPECT_EQ(temps.at("neg_frac"), "-0.25");

  const auto* unl = e.find("marina_test_unlabelled");
  ASSERT_NE(unl, nullptr);
  ASSERT_EQ(unl->samples.size(), 1u);
  EXPECT_TRUE(unl->samples[0].labels.empty());
  EXPECT_EQ(unl->samples[0].value_text, "42");

  const auto* lat = e.find("marina_test_latency_seconds");
  ASSERT_NE(lat, nullptr);
  EXPECT_EQ(lat->type, "histogram");
  std::vector<std::pair<std::string, double>> root_buckets;
  double root_count = -1, root_sum = -1;
  for (const auto& s : lat->samples) {
    if (*s.label("route") != "/") continue;
    if (s.name.ends_with("_bucket")) root_buckets.emplace_back(*s.label("le"), s.value);
    if (s.name.ends_with("_count")) root_count = s.value;
    if (s.name.ends_with("_sum")) root_sum = s.value;
  }
  // le is inclusive: 0.01 falls in the 0.01 bucket. Bounds print as Go does ("100000").
  std::vector<std::pair<std::string, double>> want = {
      {"0.01", 2}, {"0.1", 3}, {"1", 4}, {"100000", 5}, {"+Inf", 6}};
  EXPECT_EQ(root_buckets, want);
  EXPECT_EQ(root_count, 6);
  EXPECT_DOUBLE_EQ(root_sum, 0.005 + 0.01 + 0.05 + 0.5 + 5.0 + 1e9);
  // In the label set, le comes last and after the family's own labels.
  for (const auto& s : lat->samples) {
    if (s.name.ends_with("_bucket")) {
      EXPECT_EQ(s.labels.back().first, "le");
    }
  }

  const auto* empty = e.find("marina_test_empty_seconds");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->samples.size(), 12u + 2u);  // 11 default bounds + +Inf, _sum, _count

  ASSERT_NE(e.find("marina_test_queue_depth"), nullptr);
  EXPECT_EQ(e.find("marina_test_queue_depth")->samples[0].value, 7);
  ASSERT_NE(e.find("marina_test_broken_probe"), nullptr);
  EXPECT_EQ(e.find("marina_test_broken_probe")->samples[0].value_text, "NaN");

  for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
                           "process_max_fds", "process_start_time_seconds", "process_virtual_memory_bytes"}) {
    const auto* f = e.find(name);
    ASSERT_NE(f, nullptr) << name;
    ASSERT_EQ(f->samples.size(), 1u);
    EXPECT_FALSE(std::isnan(f->samples[0].value)) << name;
  }
  EXPECT_GT(e.find("process_resident_memory_bytes")->samples[0].value, 1e5);
  EXPECT_GE(e.find("process_open_fds")->samples[0].value, 3);
  EXPECT_GT(e.find("process_start_time_seconds")->samples[0].value, 1.6e9);
}

TEST(Exposition, FamiliesAreSortedAndEachHasHelpAndTypeFirst) {
  Registry r;
  r.gauge("b_gauge", "B.").with().set(1);
  r.counter("a_total", "A.", {"x"}).with({"1"}).inc();
  std::string text = r.serialize();
  EXPECT_EQ(text,
            "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 1\n"
            "# HELP b_gauge B.\n# TYPE b_gauge gauge\nb_gauge 1\n");
}

TEST(Exposition, ParserRejectsMalformedText) {
  // The parser is the judge of the other tests, so it must actually judge.
  for (const char* bad : {
           "x 1",                                  // no final newline
           "x{a=\"1\" 1\n",                        // unterminated labels
           "x{a=\"\\t\"} 1\n",                     // bad escape
           "x{1a=\"v\"} 1\n",                      // bad label name
           "x one\n",                              // bad value
           "# TYPE x counter\nx 1\n# HELP x late\n",  // HELP after samples
           "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 0\nh_count 1\n",
           "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0\nh_count 3\n",
           "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 0\nh_count 1\n",
           "a 1\nb 1\na 2\n",                      // family split in two places
       }) {
    EXPECT_THROW(parse_exposition(bad), std::runtime_error) << bad;
  }
}

}  // namespace
}  // namespace marina::metrics
