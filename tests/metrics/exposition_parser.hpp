#pragma once
// An independent reader of the Prometheus text format 0.0.4, written from the
// format's description (not from libs/metrics), so the tests catch output the
// real Prometheus parser would reject. It throws std::runtime_error naming the
// line number and the rule that was broken.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace marina::metrics::testing {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // decoded values, in written order
  double value = 0;
  std::string value_text;

  const std::string* label(std::string_view name) const;
};

struct Family {
  std::string name;
  std::string help;  // decoded
  std::string type;
  std::vector<Sample> samples;
};

struct Exposition {
  std::vector<Family> families;  // in written order
  const Family* find(std::string_view name) const;
};

// Parses and checks: line grammar, escapes, HELP/TYPE before a family's samples,
// a family's samples contiguous, sample names allowed by the family's type, and
// for histograms: an `le` label on every bucket, buckets per series in increasing
// `le` order with non-decreasing counts, a final +Inf bucket equal to _count.
Exposition parse_exposition(std::string_view text);

}  // namespace marina::metrics::testing
