#include "marina/relay/config_value.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "config_text.hpp"
#include "marina/nostr/hex.hpp"

namespace marina::relay {
namespace {

// Values are echoed in messages: long ones are cut.
std::string shown(std::string_view value) {
  constexpr std::size_t kMax = 80;
  if (value.size() <= kMax) return std::string(value);
  return std::string(value.substr(0, kMax)) + "...";
}

[[noreturn]] void refuse(const ConfigKey& key, std::string_view value) {
  throw ConfigInvalid(std::string(key.name), shown(value), expected_text(key));
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t v = 0;
  if (text.empty() || text.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

bool has_control(std::string_view text, bool allow_line_breaks) {
  return std::any_of(text.begin(), text.end(), [&](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

bool is_url(std::string_view text) {
  if (text.empty()) return true;
  const bool scheme = text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0;
  const auto host_at = text.find("://") + 3;
  return scheme && text.size() > host_at && text.find_first_of(" \t\r\n") == std::string_view::npos &&
         !has_control(text, false);
}

bool all_of_chars(std::string_view s, bool (*ok)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), ok); }

bool alnum_or_dash(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }
bool alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)); }

// Sorted, without repeats, every number in [min, max].
std::optional<std::string> number_list(const std::vector<std::string>& items, std::int64_t min, std::int64_t max) {
  std::set<std::int64_t> numbers;
  for (const auto& item : items) {
    auto n = parse_integer(item);
    if (!n || *n < min || *n > max) return std::nullopt;
    numbers.insert(*n);
  }
  std::vector<std::string> out;
  for (auto n : numbers) out.push_back(std::to_string(n));
  return join_list(out);
}

// "*" alone, or every item passing `ok`; case changed by `fold`.
std::optional<std::string> tag_list(std::vector<std::string> items, bool (*ok)(const std::string&), int (*fold)(int)) {
  if (items.size() == 1 && items[0] == "*") return std::string("*");
  std::vector<std::string> out;
  for (auto& item : items) {
    if (!ok(item)) return std::nullopt;
    if (fold) std::transform(item.begin(), item.end(), item.begin(), [&](char c) { return static_cast<char>(fold(c)); });
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  if (out.empty()) return std::nullopt;
  return join_list(out);
}

std::optional<std::string> canonical_text(const ConfigKey& key, std::string_view text) {
  if (text.size() > key.max_bytes || text.find('\0') != std::string_view::npos) return std::nullopt;
  switch (key.format) {
    case TextFormat::text:
      return std::string(text);
    case TextFormat::line:
      if (has_control(text, false)) return std::nullopt;
      return std::string(text);
    case TextFormat::url:
      if (!is_url(text)) return std::nullopt;
      return std::string(text);
    case TextFormat::choice:
      if (std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end()) return std::nullopt;
      return std::string(text);
    default:
      break;
  }
  const auto items = split_list(text);
  if (items.size() > key.max_items) return std::nullopt;
  switch (key.format) {
    case TextFormat::nip_list:
      if (items.empty()) return std::nullopt;
      return number_list(items, 1, 999);
    case TextFormat::kind_list:
      return number_list(items, 0, 65535);
    case TextFormat::language_list:
      return tag_list(items, [](const std::string& s) { return s.size() <= 35 && all_of_chars(s, alnum_or_dash); },
                      nullptr);
    case TextFormat::country_list:
      return tag_list(items, [](const std::string& s) { return s.size() == 2 && all_of_chars(s, alpha); },
                      [](int c) { return std::toupper(c); });
    case TextFormat::pubkey_list: {
      if (items.empty()) return std::string();
      std::vector<std::string> keys;
      for (auto item : items) {
        std::transform(item.begin(), item.end(), item.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
        if (!nostr::is_lower_hex(item, 64)) return std::nullopt;
        if (std::find(keys.begin(), keys.end(), item) == keys.end()) keys.push_back(item);
      }
      return join_list(keys);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

ConfigInvalid::ConfigInvalid(std::string key, std::string value, std::string expected)
    : ConfigInvalid(key + ": " + value + " is not " + expected, key, value, expected) {}

ConfigInvalid ConfigInvalid::unknown_key(std::string key, std::string value) {
  return ConfigInvalid("unknown key '" + key + "' (not in the configuration catalogue)", key, std::move(value),
                       "a key of the configuration catalogue");
}

ConfigInvalid::ConfigInvalid(std::string message, std::string key, std::string value, std::string expected)
    : std::invalid_argument(message),
      key_(std::move(key)),
      value_(std::move(value)),
      expected_(std::move(expected)) {}

std::string expected_text(const ConfigKey& key) {
  const std::string bytes = std::to_string(key.max_bytes);
  switch (key.type) {
    case ConfigType::integer:
      return "an integer in " + range_text(key);
    case ConfigType::boolean:
      return "true or false";
    case ConfigType::string:
      break;
  }
  const std::string items = std::to_string(key.max_items);
  switch (key.format) {
    case TextFormat::text:
      return "a string of at most " + bytes + " bytes";
    case TextFormat::line:
      return "one line of at most " + bytes + " bytes";
    case TextFormat::url:
      return "empty or an http(s) URL of at most " + bytes + " bytes";
    case TextFormat::choice:
      return "one of " + range_text(key);
    case TextFormat::nip_list:
      return "comma-separated NIP numbers 1-999 (at most " + items + ")";
    case TextFormat::kind_list:
      return "empty or comma-separated kinds 0-65535 (at most " + items + ")";
    case TextFormat::language_list:
      return "* or comma-separated language tags (at most " + items + ")";
    case TextFormat::country_list:
      return "* or comma-separated two-letter country codes (at most " + items + ")";
    case TextFormat::pubkey_list:
      return "empty or comma-separated 64-hex pubkeys (at most " + items + ")";
  }
  return "a valid value";
}

std::string canonical_value(const ConfigKey& key, std::string_view text) {
  switch (key.type) {
    case ConfigType::integer: {
      auto n = parse_integer(text);
      if (!n || *n < key.min || *n > key.max) refuse(key, "'" + std::string(text) + "'");
      return std::to_string(*n);
    }
    case ConfigType::boolean:
      if (text != "true" && text != "false") refuse(key, "'" + std::string(text) + "'");
      return std::string(text);
    case ConfigType::string:
      break;
  }
  auto canonical = canonical_text(key, text);
  if (!canonical) refuse(key, "'" + std::string(text) + "'");
  return *canonical;
}

std::string canonical_value(const ConfigKey& key, const nlohmann::json& value) {
  if (value.is_string()) {
    try {
      return canonical_value(key, value.get_ref<const std::string&>());
    } catch (const ConfigInvalid&) {
      refuse(key, value.dump());  // shown as JSON, as it was sent
    }
  }
  if (key.type == ConfigType::integer && value.is_number_integer()) {
    // An unsigned beyond int64 is out of every range.
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(key.max))
      refuse(key, value.dump());
    const auto n = value.get<std::int64_t>();
    if (n < key.min || n > key.max) refuse(key, value.dump());
    return std::to_string(n);
  }
  if (key.type == ConfigType::boolean && value.is_boolean()) return value.get<bool>() ? "true" : "false";
  refuse(key, value.dump());
}

std::map<std::string, std::optional<std::string>> validate_config_update(const nlohmann::json& object) {
  if (!object.is_object()) throw ConfigInvalid("configuration", shown(object.dump()), "a JSON object of keys to values");
  std::map<std::string, std::optional<std::string>> out;
  for (const auto& [name, value] : object.items()) {
    const ConfigKey* key = find_config_key(name);
    if (key == nullptr) throw ConfigInvalid::unknown_key(shown(name), shown(value.dump()));
    out[name] = value.is_null() ? std::nullopt : std::optional(canonical_value(*key, value));
  }
  return out;
}

}  // namespace marina::relay
