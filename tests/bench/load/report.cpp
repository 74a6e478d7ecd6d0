#include "report.hpp"

#include <cmath>
#include <cstdio>

namespace marina::load {

namespace {

std::string number(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f", v);
  }
  return buf;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

void Report::print(bool quiet) const {
  std::string line = "{\"mode\":" + json_string(mode_);
  for (const auto& r : rows_) {
    line += "," + json_string(r.name) + ":";
    line += std::holds_alternative<double>(r.value) ? number(std::get<double>(r.value))
                                                    : json_string(std::get<std::string>(r.value));
  }
  std::printf("%s}\n", line.c_str());
  if (quiet) return;
  std::printf("\n  marina-load %s\n", mode_.c_str());
  for (const auto& r : rows_) {
    const std::string v = std::holds_alternative<double>(r.value) ? number(std::get<double>(r.value))
                                                                  : std::get<std::string>(r.value);
    std::printf("  %-28s %14s %s\n", r.name.c_str(), v.c_str(), r.unit.c_str());
  }
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace marina::load
