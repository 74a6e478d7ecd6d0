#pragma once
// Checking a configuration value against its key and turning it into the
// canonical text stored in `relay_config`: from text (what the store, the
// seed's config_update and the CLI carry: "true", "50") or from a value in
// its natural JSON type (the tenants API: true, 50). An update of several keys
// is checked whole before anything is written (all-or-nothing).
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "marina/relay/config_keys.hpp"

namespace marina::relay {

// A value refused, with what it should have been:
//   "max_content_length: 0 is not an integer in 1-1048576"
class ConfigInvalid : public std::invalid_argument {
 public:
  ConfigInvalid(std::string key, std::string value, std::string expected);
  // "unknown key 'relay_port' (not in the configuration catalogue)"
  static ConfigInvalid unknown_key(std::string key, std::string value);
  const std::string& key() const { return key_; }
  const std::string& value() const { return value_; }        // as given (JSON for JSON input), shortened
  const std::string& expected() const { return expected_; }  // names the type and range or format

 private:
  ConfigInvalid(std::string message, std::string key, std::string value, std::string expected);

  std::string key_;
  std::string value_;
  std::string expected_;
};

// What a value of `key` must be, in words ("an integer in 1-10000",
// "true or false", "one of disabled/optional/required", ...).
std::string expected_text(const ConfigKey& key);

// The canonical text of `text` as a value of `key`; throws ConfigInvalid.
// Integers: optional '-' and decimal digits, no spaces. Booleans: "true" or
// "false". Lists: items trimmed of spaces, joined by ','; kinds and NIPs
// sorted without repeats, pubkeys lower case, countries upper case.
std::string canonical_value(const ConfigKey& key, std::string_view text);
// (Text given as std::string or a literal is text, not a JSON string.)
inline std::string canonical_value(const ConfigKey& key, const std::string& text) {
  return canonical_value(key, std::string_view(text));
}
inline std::string canonical_value(const ConfigKey& key, const char* text) {
  return canonical_value(key, std::string_view(text));
}

// The same from a JSON value: a string for string keys, a number or a
// decimal string for integers, a boolean or "true"/"false" for booleans.
// Anything else (null, arrays, objects, fractions) is the wrong type.
std::string canonical_value(const ConfigKey& key, const nlohmann::json& value);

// A whole update (a JSON object of key -> value) checked before anything is
// applied: the canonical text of every key, or nullopt for a key given as
// null (back to its default). Throws ConfigInvalid naming the first bad key
// (an unknown key is refused as "a key of the configuration catalogue").
std::map<std::string, std::optional<std::string>> validate_config_update(const nlohmann::json& object);

}  // namespace marina::relay
