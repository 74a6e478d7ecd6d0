#include "exposition_parser.hpp"

#include <cmath>
#include <cstdlib>
#include <set>
#include <stdexcept>

namespace marina::metrics::testing {

namespace {

[[noreturn]] void fail(std::size_t line_no, const std::string& why, std::string_view line) {
  throw std::runtime_error("line " + std::to_string(line_no) + ": " + why + ": [" + std::string(line) + "]");
}

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

// Reads a metric name at `pos`; empty when there is none.
std::string read_metric_name(std::string_view s, std::size_t& pos) {
  std::size_t start = pos;
  if (pos < s.size() && name_start(s[pos])) {
    ++pos;
    while (pos < s.size() && name_char(s[pos])) ++pos;
  }
  return std::string(s.substr(start, pos - start));
}

bool valid_label_name(std::string_view n) {
  if (n.empty() || n.find(':') != std::string_view::npos || (n[0] >= '0' && n[0] <= '9')) return false;
  for (char c : n) {
    if (!name_char(c)) return false;
  }
  return true;
}

// Go's ParseFloat accepts these spellings; the format also allows +Inf, -Inf, NaN.
bool parse_float(std::string_view text, double& out) {
  if (text == "+Inf" || text == "Inf") {
    out = INFINITY;
    return true;
  }
  if (text == "-Inf") {
    out = -INFINITY;
    return true;
  }
  if (text == "NaN") {
    out = NAN;
    return true;
  }
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  }
  std::string s(text);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

std::string decode_help(std::string_view raw, std::size_t line_no, std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (++i == raw.size()) fail(line_no, "HELP ends inside an escape", line);
    if (raw[i] == '\\') out += '\\';
    else if (raw[i] == 'n') out += '\n';
    else fail(line_no, "HELP has an escape other than \\\\ or \\n", line);
  }
  return out;
}

Sample parse_sample(std::string_view line, std::size_t line_no) {
  Sample s;
  std::size_t pos = 0;
  s.name = read_metric_name(line, pos);
  if (s.name.empty()) fail(line_no, "sample line does not start with a metric name", line);
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    while (true) {
      if (pos < line.size() && line[pos] == '}') {
        ++pos;
        break;
      }
      std::size_t start = pos;
      while (pos < line.size() && name_char(line[pos])) ++pos;
      std::string lname(line.substr(start, pos - start));
      if (!valid_label_name(lname)) fail(line_no, "bad label name '" + lname + "'", line);
      if (pos >= line.size() || line[pos] != '=') fail(line_no, "label name not followed by '='", line);
      if (++pos >= line.size() || line[pos] != '"') fail(line_no, "label value not quoted", line);
      ++pos;
      std::string value;
      while (true) {
        if (pos >= line.size()) fail(line_no, "unterminated label value", line);
        char c = line[pos++];
        if (c == '"') break;
        if (c == '\n') fail(line_no, "raw newline in label value", line);
        if (c != '\\') {
          value += c;
          continue;
        }
        if (pos >= line.size()) fail(line_no, "label value ends inside an escape", line);
        char e = line[pos++];
        if (e == '\\') value += '\\';
        else if (e == '"') value += '"';
        else if (e == 'n') value += '\n';
        else fail(line_no, std::string("invalid escape \\") + e + " in label value", line);
      }
      for (const auto& [n, v] : s.labels) {
        if (n == lname) fail(line_no, "label '" + lname + "' repeated", line);
      }
      s.labels.emplace_back(lname, value);
      if (pos < line.size() && line[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < line.size() && line[pos] == '}') continue;
      fail(line_no, "expected ',' or '}' after a label", line);
    }
  }
  if (pos >= line.size() || line[pos] != ' ') fail(line_no, "expected one space before the value", line);
  ++pos;
  auto rest = line.substr(pos);
  auto space = rest.find(' ');
  s.value_text = std::string(rest.substr(0, space));
  if (!parse_float(s.value_text, s.value)) fail(line_no, "value '" + s.value_text + "' is not a float", line);
  if (space != std::string_view::npos) {
    auto ts = rest.substr(space + 1);
    if (ts.empty() || ts.find_first_not_of("-0123456789") != std::string_view::npos) {
      fail(line_no, "timestamp is not an integer", line);
    }
  }
  return s;
}

// Which family a sample name belongs to, given the family currently open.
bool sample_belongs(const Family& f, std::string_view sample_name) {
  if (f.type == "histogram") {
    return sample_name == f.name + "_bucket" || sample_name == f.name + "_sum" || sample_name == f.name + "_count";
  }
  if (f.type == "summary") {
    return sample_name == f.name || sample_name == f.name + "_sum" || sample_name == f.name + "_count";
  }
  return sample_name == f.name;
}

std::string series_key(const Sample& s, bool drop_le) {
  std::string key;
  for (const auto& [n, v] : s.labels) {
    if (drop_le && n == "le") continue;
    key += n + "=" + v + '\x1f';
  }
  return key;
}

void check_histogram(const Family& f) {
  struct Series {
    std::vector<std::pair<double, double>> buckets;  // (le, cumulative count)
    bool has_count = false, has_sum = false;
    double count = 0;
  };
  std::map<std::string, Series> series;
  for (const auto& s : f.samples) {
    auto& ser = series[series_key(s, true)];
    if (s.name == f.name + "_bucket") {
      const std::string* le = s.label("le");
      if (le == nullptr) throw std::runtime_error(f.name + ": bucket without le");
      double bound = 0;
      if (!parse_float(*le, bound) || std::isnan(bound)) throw std::runtime_error(f.name + ": bad le " + *le);
      if (!ser.buckets.empty()) {
        if (!(bound > ser.buckets.back().first)) throw std::runtime_error(f.name + ": le not increasing");
        if (s.value < ser.buckets.back().second) throw std::runtime_error(f.name + ": bucket counts decrease");
      }
      ser.buckets.emplace_back(bound, s.value);
    } else if (s.name == f.name + "_count") {
      ser.has_count = true;
      ser.count = s.value;
    } else {
      ser.has_sum = true;
    }
  }
  for (const auto& [key, ser] : series) {
    if (ser.buckets.empty() || !std::isinf(ser.buckets.back().first)) {
      throw std::runtime_error(f.name + ": series without a +Inf bucket");
    }
    if (!ser.has_count || !ser.has_sum) throw std::runtime_error(f.name + ": series without _count or _sum");
    if (ser.buckets.back().second != ser.count) throw std::runtime_error(f.name + ": +Inf bucket != _count");
  }
}

}  // namespace

const std::string* Sample::label(std::string_view n) const {
  for (const auto& [k, v] : labels) {
    if (k == n) return &v;
  }
  return nullptr;
}

const Family* Exposition::find(std::string_view name) const {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Exposition parse_exposition(std::string_view text) {
  if (!text.empty() && text.back() != '\n') throw std::runtime_error("output does not end with a newline");
  Exposition out;
  std::set<std::string> closed;  // families whose samples are over
  Family* current = nullptr;
  std::size_t line_no = 0;
  auto open_family = [&](const std::string& name, std::size_t n, std::string_view line) -> Family& {
    if (current != nullptr && current->name == name) return *current;
    if (current != nullptr) closed.insert(current->name);
    if (closed.contains(name)) fail(n, "family '" + name + "' appears in two places", line);
    out.families.push_back(Family{name, {}, {}, {}});
    current = &out.families.back();
    return *current;
  };
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (line.empty()) continue;
    if (line[0] == '#') {
      auto body = line.substr(1);
      bool help = body.starts_with(" HELP ");
      bool type = body.starts_with(" TYPE ");
      if (!help && !type) continue;  // any other comment is allowed and ignored
      body.remove_prefix(6);
      std::size_t pos = 0;
      std::string name = read_metric_name(body, pos);
      if (name.empty() || (pos < body.size() && body[pos] != ' ')) fail(line_no, "bad metric name", line);
      auto rest = pos < body.size() ? body.substr(pos + 1) : std::string_view{};
      Family& f = open_family(name, line_no, line);
      if (!f.samples.empty()) fail(line_no, "HELP/TYPE after the family's samples", line);
      if (help) {
        if (!f.help.empty()) fail(line_no, "second HELP line", line);
        f.help = decode_help(rest, line_no, line);
      } else {
        if (!f.type.empty()) fail(line_no, "second TYPE line", line);
        static const std::set<std::string_view> types = {"counter", "gauge", "histogram", "summary", "untyped"};
        if (!types.contains(rest)) fail(line_no, "unknown type '" + std::string(rest) + "'", line);
        f.type = std::string(rest);
      }
      continue;
    }
    Sample s = parse_sample(line, line_no);
    if (current == nullptr || !sample_belongs(*current, s.name)) {
      // A sample without HELP/TYPE starts an untyped family of its own name.
      Family& f = open_family(s.name, line_no, line);
      if (f.type.empty()) f.type = "untyped";
      if (!sample_belongs(f, s.name)) fail(line_no, "sample does not belong to its family", line);
    }
    if (current->type == "histogram" && s.name != current->name + "_bucket" && s.label("le") != nullptr) {
      fail(line_no, "le label outside a bucket", line);
    }
    current->samples.push_back(std::move(s));
  }
  for (const auto& f : out.families) {
    if (f.type == "histogram") check_histogram(f);
  }
  return out;
}

}  // namespace marina::metrics::testing
