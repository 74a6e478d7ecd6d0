#include "marina/pg/conninfo.hpp"

#include <string_view>
#include <utility>
#include <vector>

namespace marina::pg {

namespace {

bool is_url(std::string_view s) { return s.starts_with("postgresql://") || s.starts_with("postgres://"); }

// True when key=value appears as a parameter (URL query) or item (key=value form).
bool has_param(std::string_view info, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = info.find(key, pos)) != std::string_view::npos) {
    bool starts = pos == 0 || info[pos - 1] == '?' || info[pos - 1] == '&' || info[pos - 1] == ' ';
    bool ends = pos + key.size() < info.size() && info[pos + key.size()] == '=';
    if (starts && ends) return true;
    pos += key.size();
  }
  return false;
}

}  // namespace

std::string conninfo(const PoolOptions& options) {
  auto seconds = (options.connect_timeout.count() + 999) / 1000;
  std::vector<std::pair<std::string, std::string>> wanted = {
      {"connect_timeout", std::to_string(seconds < 1 ? 1 : seconds)},
      {"keepalives", "1"},
      {"keepalives_idle", "30"},
      {"keepalives_interval", "10"},
      {"keepalives_count", "3"},
  };
  std::string out = options.url;
  bool url = is_url(out);
  for (const auto& [key, value] : wanted) {
    if (has_param(out, key)) continue;
    if (url) {
      out += out.find('?') == std::string::npos ? '?' : '&';
    } else if (!out.empty()) {
      out += ' ';
    }
    out += key + "=" + value;
  }
  return out;
}

std::string redact(const std::string& url) {
  std::string out = url;
  if (is_url(out)) {
    // scheme://user:password@host → scheme://user:***@host
    auto authority = out.find("://") + 3;
    auto at = out.find('@', authority);
    auto end_of_authority = out.find_first_of("/?", authority);
    if (at != std::string::npos && (end_of_authority == std::string::npos || at < end_of_authority)) {
      auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a URL parameter or a key=value item.
  std::size_t pos = 0;
  while ((pos = out.find("password=", pos)) != std::string::npos) {
    bool starts = pos == 0 || out[pos - 1] == '?' || out[pos - 1] == '&' || out[pos - 1] == ' ';
    pos += 9;
    if (!starts) continue;
    auto end = out.find_first_of("& ", pos);
    if (end == std::string::npos) end = out.size();
    out.replace(pos, end - pos, "***");
    pos += 3;
  }
  return out;
}

}  // namespace marina::pg
