#include "marina/core/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <sstream>

#include "marina/core/ascii.hpp"

namespace marina::core {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string format_duration(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms % 3'600'000 == 0 && ms != 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::string t = trim(text);
  std::string_view s = t;
  std::int64_t scale = 1000;
  auto ends = [&](std::string_view suf) {
    return s.size() > suf.size() && s.substr(s.size() - suf.size()) == suf;
  };
  if (ends("ms")) {
    scale = 1;
    s.remove_suffix(2);
  } else if (ends("s")) {
    s.remove_suffix(1);
  } else if (ends("m")) {
    scale = 60'000;
    s.remove_suffix(1);
  } else if (ends("h")) {
    scale = 3'600'000;
    s.remove_suffix(1);
  }
  auto v = parse_int(s);
  if (!v || *v < 0 || *v > INT64_MAX / scale) return std::nullopt;
  return std::chrono::milliseconds(*v * scale);
}

Config::Config()
    : lookup_([](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
      }) {}

Config::Config(Lookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> Config::raw(const std::string& name) const {
  auto v = lookup_(name);
  if (v && trim(*v).empty()) return std::nullopt;  // an empty variable means "use the default"
  return v;
}

void Config::declare(const std::string& name, std::string type, std::string def, const std::string& description,
                     bool secret) {
  entries_.push_back(ConfigEntry{name, std::move(type), std::move(def), description, secret});
}

void Config::fail(const std::string& name, const std::string& why) { errors_.push_back(name + ": " + why); }

std::string Config::string(const std::string& name, const std::string& def, const std::string& description) {
  declare(name, "string", def, description);
  return raw(name).value_or(def);
}

std::string Config::required_string(const std::string& name, const std::string& description) {
  declare(name, "string", "(required)", description);
  auto v = raw(name);
  if (!v) {
    fail(name, "is required and not set");
    return {};
  }
  return *v;
}

std::string Config::secret(const std::string& name, const std::string& def, const std::string& description) {
  declare(name, "secret", def.empty() ? "(required)" : "(secret)", description, true);
  auto v = raw(name);
  if (!v && def.empty()) {
    fail(name, "is required and not set");
    return {};
  }
  return v.value_or(def);
}

std::int64_t Config::integer(const std::string& name, std::int64_t def, std::int64_t min, std::int64_t max,
                             const std::string& description) {
  declare(name, "integer " + std::to_string(min) + ".." + std::to_string(max), std::to_string(def), description);
  auto v = raw(name);
  if (!v) return def;
  auto n = parse_int(trim(*v));
  if (!n) {
    fail(name, "'" + *v + "' is not an integer");
    return def;
  }
  if (*n < min || *n > max) {
    fail(name, std::to_string(*n) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
    return def;
  }
  return *n;
}

std::uint16_t Config::port(const std::string& name, std::uint16_t def, const std::string& description) {
  declare(name, "port 0..65535", std::to_string(def), description);
  auto v = raw(name);
  if (!v) return def;
  auto n = parse_int(trim(*v));
  if (!n || *n < 0 || *n > 65535) {
    fail(name, "'" + *v + "' is not a TCP port (0..65535)");
    return def;
  }
  return static_cast<std::uint16_t>(*n);
}

bool Config::boolean(const std::string& name, bool def, const std::string& description) {
  declare(name, "boolean", def ? "true" : "false", description);
  auto v = raw(name);
  if (!v) return def;
  const std::string s = ascii_lower(trim(*v));
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  fail(name, "'" + *v + "' is not a boolean (true/false)");
  return def;
}

std::chrono::milliseconds Config::duration(const std::string& name, std::chrono::milliseconds def,
                                           std::chrono::milliseconds min, std::chrono::milliseconds max,
                                           const std::string& description) {
  declare(name, "duration " + format_duration(min) + ".." + format_duration(max), format_duration(def), description);
  auto v = raw(name);
  if (!v) return def;
  auto d = parse_duration(*v);
  if (!d) {
    fail(name, "'" + *v + "' is not a duration (like 250ms, 5s, 2m, 1h)");
    return def;
  }
  if (*d < min || *d > max) {
    fail(name, *v + " is outside " + format_duration(min) + ".." + format_duration(max));
    return def;
  }
  return *d;
}

std::vector<std::string> Config::list(const std::string& name, const std::string& def,
                                      const std::string& description) {
  declare(name, "list", def, description);
  std::string text = raw(name).value_or(def);
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string Config::choice(const std::string& name, const std::string& def, const std::vector<std::string>& allowed,
                           const std::string& description) {
  std::string joined;
  for (const auto& a : allowed) joined += (joined.empty() ? "" : "|") + a;
  declare(name, joined, def, description);
  auto v = raw(name);
  if (!v) return def;
  std::string s = trim(*v);
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    fail(name, "'" + s + "' is not one of " + joined);
    return def;
  }
  return s;
}

void Config::finish() const {
  if (errors_.empty()) return;
  std::string msg = "invalid configuration: " + errors_.front();
  if (errors_.size() > 1) msg += " (and " + std::to_string(errors_.size() - 1) + " more)";
  throw ConfigError(msg);
}

std::string Config::markdown_table() const {
  std::string out = "| variable | type | default | description |\n|---|---|---|---|\n";
  for (const auto& e : entries_) {
    out += "| `" + e.name + "` | " + e.type + " | " + (e.default_value.empty() ? "(empty)" : "`" + e.default_value + "`") +
           " | " + e.description + " |\n";
  }
  return out;
}

}  // namespace marina::core
