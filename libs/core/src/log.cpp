#include "marina/core/log.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "marina/core/ascii.hpp"

namespace marina::log {

namespace {

std::string g_service = "marina";
std::atomic<int> g_min_level{static_cast<int>(Level::info)};
std::mutex g_write_mutex;

const char* level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

void append_timestamp(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  out += buf;
}

}  // namespace

void init(std::string service, Level min_level) {
  g_service = std::move(service);
  g_min_level.store(static_cast<int>(min_level));
}

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug") out = Level::debug;
  else if (text == "info") out = Level::info;
  else if (text == "warn" || text == "warning") out = Level::warn;
  else if (text == "error") out = Level::error;
  else return false;
  return true;
}

bool enabled(Level level) { return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed); }

bool is_secret_field(std::string_view name) {
  static constexpr std::array<std::string_view, 9> needles = {
      "authorization", "token", "secret", "password", "nsec", "sig", "passport", "privkey", "private_key"};
  const std::string lower = core::ascii_lower(name);
  for (auto n : needles) {
    if (lower.find(n) != std::string::npos) return true;
  }
  return false;
}

void append_json_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
}

std::string format(Level level, std::string_view msg, Fields fields) {
  std::string out;
  out.reserve(128 + msg.size());
  out += "{\"ts\":\"";
  append_timestamp(out);
  out += "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"service\":\"";
  append_json_escaped(out, g_service);
  out += "\",\"msg\":\"";
  append_json_escaped(out, msg);
  out += '"';
  for (const auto& f : fields) {
    out += ",\"";
    append_json_escaped(out, f.name);
    out += "\":";
    if (is_secret_field(f.name) || std::holds_alternative<Redacted>(f.value)) {
      out += "\"[redacted]\"";
      continue;
    }
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string_view>) {
            out += '"';
            append_json_escaped(out, v);
            out += '"';
          } else if constexpr (std::is_same_v<T, bool>) {
            out += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, double>) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.6g", v);
            out += buf;
          } else if constexpr (std::is_same_v<T, Redacted>) {
            out += "\"[redacted]\"";
          } else {
            out += std::to_string(v);
          }
        },
        f.value);
  }
  out += "}\n";
  return out;
}

void write(Level level, std::string_view msg, Fields fields) {
  std::string line = format(level, msg, fields);
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace marina::log
