#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "marina/metrics/exposition.hpp"
#include "marina/metrics/registry.hpp"

namespace marina::metrics {
namespace {

TEST(Names, MetricAndLabelNameRules) {
  EXPECT_TRUE(is_valid_metric_name("marina_http_requests_total"));
  EXPECT_TRUE(is_valid_metric_name("a:b_c9"));
  EXPECT_TRUE(is_valid_metric_name(":recording_rule"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("9lives"));
  EXPECT_FALSE(is_valid_metric_name("has-dash"));
  EXPECT_FALSE(is_valid_metric_name("has space"));
  EXPECT_TRUE(is_valid_label_name("method"));
  EXPECT_TRUE(is_valid_label_name("_private"));
  EXPECT_FALSE(is_valid_label_name("__reserved"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("1a"));
  EXPECT_FALSE(is_valid_label_name(""));
}

TEST(Registry, RejectsBadRegistrations) {
  Registry r;
  EXPECT_THROW(r.counter("bad-name", "h"), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", ""), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", "h", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", "h", {"__x"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h_seconds", "h", {"le"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h_seconds", "h", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h_seconds", "h", {}, {2, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h_seconds", "h", {}, {NAN}), std::invalid_argument);
  // Nothing half-registered: the names are still free.
  EXPECT_NO_THROW(r.counter("ok_total", "h", {"a"}));
  EXPECT_NO_THROW(r.histogram("h_seconds", "h"));
}

TEST(Registry, SameShapeReturnsTheSameFamilyOtherShapesThrow) {
  Registry r;
  auto& a = r.counter("x_total", "h", {"k"});
  auto& b = r.counter("x_total", "other help is fine", {"k"});
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(r.counter("x_total", "h", {"other"}), std::invalid_argument);
  EXPECT_THROW(r.gauge("x_total", "h", {"k"}), std::invalid_argument);
  auto& h1 = r.histogram("d_seconds", "h", {}, {1, 2});
  auto& h2 = r.histogram("d_seconds", "h", {}, {1, 2, INFINITY});
  EXPECT_EQ(&h1, &h2);
  EXPECT_THROW(r.histogram("d_seconds", "h", {}, {1, 3}), std::invalid_argument);
  EXPECT_THROW(r.callback_gauge("x_total", "h", [] { return 1.0; }), std::invalid_argument);
}

TEST(Registry, HistogramSeriesNamesAreReserved) {
  Registry r;
  r.histogram("lat_seconds", "h");
  EXPECT_THROW(r.counter("lat_seconds_count", "h"), std::invalid_argument);
  EXPECT_THROW(r.gauge("lat_seconds_bucket", "h"), std::invalid_argument);
  r.gauge("q_sum", "h");
  EXPECT_THROW(r.histogram("q", "h"), std::invalid_argument);
}

TEST(Registry, WrongNumberOfLabelValuesThrows) {
  Registry r;
  auto& f = r.counter("x_total", "h", {"a", "b"});
  EXPECT_THROW(f.with({"1"}), std::invalid_argument);
  EXPECT_THROW(f.with({"1", "2", "3"}), std::invalid_argument);
  EXPECT_NO_THROW(f.with(std::vector<std::string>{"1", "2"}));
}

TEST(Counter, HandlesShareTheSeriesAndNeverGoDown) {
  Registry r;
  auto& f = r.counter("x_total", "h", {"a"});
  auto c1 = f.with({"v"});
  auto c2 = f.with(std::vector<std::string>{"v"});
  c1.inc();
  c2.inc(2);
  c1.inc(-5);
  c1.inc(NAN);
  EXPECT_EQ(c1.value(), 3);
  EXPECT_EQ(r.serialize(), "# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"v\"} 3\n");
}

TEST(Counter, ConcurrentIncrementsAreNotLost) {
  Registry r;
  auto c = r.counter("x_total", "h").with();
  auto g = r.gauge("g", "h").with();
  auto h = r.histogram("h", "h", {}, {0.5}).with();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        g.inc();
        g.dec(0.5);
        h.observe(i % 2 == 0 ? 0.1 : 1.0);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 40000);
  EXPECT_EQ(g.value(), 20000);
  std::string text = r.serialize();
  EXPECT_NE(text.find("h_bucket{le=\"0.5\"} 20000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_bucket{le=\"+Inf\"} 40000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_count 40000\n"), std::string::npos) << text;
}

TEST(Format, ValuesAreWrittenLikeTheGoClient) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(1), "1");
  EXPECT_EQ(format_value(-1), "-1");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(0.005), "0.005");
  EXPECT_EQ(format_value(0.0001), "0.0001");
  EXPECT_EQ(format_value(0.00001), "1e-05");
  EXPECT_EQ(format_value(123456), "123456");
  EXPECT_EQ(format_value(1e6), "1e+06");
  EXPECT_EQ(format_value(1234567), "1.234567e+06");
  EXPECT_EQ(format_value(1.5e300), "1.5e+300");
  EXPECT_EQ(format_value(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_value(1712345678.5), "1.7123456785e+09");
  EXPECT_EQ(format_value(INFINITY), "+Inf");
  EXPECT_EQ(format_value(-INFINITY), "-Inf");
  EXPECT_EQ(format_value(NAN), "NaN");
}

TEST(Format, Escaping) {
  std::string label;
  append_escaped_label_value(label, "a\\b\"c\nd");
  EXPECT_EQ(label, "a\\\\b\\\"c\\nd");
  std::string help;
  append_escaped_help(help, "a\\b\"c\nd");
  EXPECT_EQ(help, "a\\\\b\"c\\nd");
}

TEST(Buckets, Exponential) {
  EXPECT_EQ(exponential_buckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
  EXPECT_THROW(exponential_buckets(0, 2, 4), std::invalid_argument);
}

}  // namespace
}  // namespace marina::metrics
