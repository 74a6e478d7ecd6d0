#pragma once
// The per-relay configuration catalogue: every key a relay's owner may set,
// declared once with its type, default, range, category and description
// (the keys of seed 004's "Configuration Reference", plus relay_icon and
// admin_pubkeys). The tenants API, the NIP-86 / admin-command paths and the
// relay services all read this one list; values are stored as canonical text
// in `relay_config` (one row per key a relay's owner has set; a missing row
// means the default).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marina::relay {

enum class ConfigType { string, integer, boolean };
std::string_view to_string(ConfigType type) noexcept;

// What a string value must look like (beyond its length in bytes).
enum class TextFormat {
  text,           // any text without NUL (line breaks allowed)
  line,           // one line: no control characters
  url,            // empty, or an http:// or https:// URL without spaces
  choice,         // one of ConfigKey::choices
  nip_list,       // comma-separated NIP numbers 1-999, e.g. "1,11,42"
  kind_list,      // empty, or comma-separated event kinds 0-65535
  language_list,  // "*" or comma-separated IETF language tags (letters, digits, '-')
  country_list,   // "*" or comma-separated ISO 3166-1 alpha-2 codes (stored upper case)
  pubkey_list,    // empty, or comma-separated 64-hex pubkeys (stored lower case)
};

// Where the default of a key comes from.
enum class DefaultSource {
  fixed,              // ConfigKey::default_value
  relay_name,         // the relay's name (relays.name), else its subdomain
  relay_description,  // the relay's description (relays.description)
};

struct ConfigKey {
  std::string_view name;
  ConfigType type = ConfigType::string;
  std::string_view category;  // relay | limits | auth | pow | expiration | monitoring
  std::string_view description;
  std::string_view default_value;  // canonical text (DefaultSource::fixed)
  DefaultSource default_source = DefaultSource::fixed;
  std::int64_t min = 0;  // integers: the inclusive range
  std::int64_t max = 0;
  TextFormat format = TextFormat::line;    // strings
  std::size_t max_bytes = 0;               // strings: longest value
  std::size_t max_items = 0;               // lists: most items
  std::vector<std::string_view> choices;   // TextFormat::choice
};

// Every key, in the order the API lists them.
const std::vector<ConfigKey>& config_catalogue();
// nullptr for a key that is not in the catalogue.
const ConfigKey* find_config_key(std::string_view name) noexcept;

// The range as the API shows it: "1-10000" for integers, "disabled/optional/
// required" for choices, empty for the rest (which have no `range`).
std::string range_text(const ConfigKey& key);
// The same with the upper bound lowered to `ceiling` (a plan's cap).
std::string range_text(const ConfigKey& key, std::int64_t ceiling);

// Marina's version, the default of relay_version.
std::string_view software_version() noexcept;

}  // namespace marina::relay
