// The configuration catalogue: every key of seed 004's Configuration
// Reference (plus relay_icon and admin_pubkeys) with its type, default, range
// and category; each default valid for its own key; every integer's range
// enforced at both ends from text and from JSON; booleans and choices from
// both; the all-or-nothing update check.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "marina/relay/config_keys.hpp"
#include "marina/relay/config_value.hpp"
#include "marina/relay/settings.hpp"

namespace marina::relay {
namespace {

using nlohmann::json;

struct Expected {
  const char* name;
  ConfigType type;
  const char* category;
  const char* default_value;  // "" also for the relay-derived defaults
  std::int64_t min = 0, max = 0;
};

// The catalogue as this test states it: a change to any key's type, default,
// range or category shows here.
const std::vector<Expected>& expected_keys() {
  static const RelayLimits platform;
  static const std::string message = std::to_string(platform.max_message_bytes);
  static const std::string subscriptions = std::to_string(platform.max_subscriptions);
  static const std::string tags = std::to_string(platform.max_event_tags);
  static const std::string content = std::to_string(platform.max_content_length);
  static const std::vector<Expected> keys = {
      {"relay_name", ConfigType::string, "relay", ""},
      {"relay_description", ConfigType::string, "relay", ""},
      {"relay_contact", ConfigType::string, "relay", ""},
      {"relay_icon", ConfigType::string, "relay", ""},
      {"relay_software", ConfigType::string, "relay", "marina"},
      {"relay_version", ConfigType::string, "relay", ""},  // checked apart: the project version
      {"supported_nips", ConfigType::string, "relay", "1,9,11,13,40,42,45,50,62,70"},
      {"language_tags", ConfigType::string, "relay", "*"},
      {"relay_countries", ConfigType::string, "relay", "*"},
      {"posting_policy", ConfigType::string, "relay", ""},
      {"payments_url", ConfigType::string, "relay", ""},
      {"max_connections", ConfigType::integer, "limits", "1000", 1, 10000},
      {"max_subscriptions_per_client", ConfigType::integer, "limits", subscriptions.c_str(), 1, 100},
      {"max_total_subscriptions", ConfigType::integer, "limits", "5000", 100, 50000},
      {"max_message_length", ConfigType::integer, "limits", message.c_str(), 1024, 1048576},
      {"max_event_tags", ConfigType::integer, "limits", tags.c_str(), 10, 10000},
      {"max_content_length", ConfigType::integer, "limits", content.c_str(), 1, 1048576},
      {"auth_enabled", ConfigType::boolean, "auth", "false"},
      {"nip42_auth_required", ConfigType::boolean, "auth", "false"},
      {"nip42_auth_required_kinds", ConfigType::string, "auth", ""},
      {"nip42_challenge_timeout", ConfigType::integer, "auth", "300", 5, 3600},
      {"admin_pubkeys", ConfigType::string, "auth", ""},
      {"pow_min_difficulty", ConfigType::integer, "pow", "0", 0, 40},
      {"pow_mode", ConfigType::string, "pow", "optional"},
      {"nip40_expiration_enabled", ConfigType::boolean, "expiration", "true"},
      {"nip40_expiration_strict", ConfigType::boolean, "expiration", "true"},
      {"nip40_expiration_filter", ConfigType::boolean, "expiration", "true"},
      {"nip40_expiration_grace_period", ConfigType::integer, "expiration", "300", 0, 86400},
      {"kind_24567_reporting_throttle_sec", ConfigType::integer, "monitoring", "5", 1, 3600},
  };
  return keys;
}

std::string refusal(const ConfigKey& key, const json& value) {
  try {
    canonical_value(key, value);
    return "accepted";
  } catch (const ConfigInvalid& e) {
    return e.what();
  }
}

std::string refusal(const ConfigKey& key, std::string_view text) {
  try {
    canonical_value(key, text);
    return "accepted";
  } catch (const ConfigInvalid& e) {
    return e.what();
  }
}

TEST(ConfigCatalogue, HasExactlyTheSeedKeysPlusIconAndAdmins) {
  std::vector<std::string> names;
  for (const auto& key : config_catalogue()) names.emplace_back(key.name);
  std::vector<std::string> wanted;
  for (const auto& e : expected_keys()) wanted.emplace_back(e.name);
  EXPECT_EQ(names, wanted);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << "no key twice";
}

TEST(ConfigCatalogue, EveryKeyHasItsTypeCategoryDefaultAndRange) {
  for (const auto& e : expected_keys()) {
    SCOPED_TRACE(e.name);
    const ConfigKey* key = find_config_key(e.name);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->type, e.type);
    EXPECT_EQ(key->category, e.category);
    EXPECT_FALSE(key->description.empty());
    if (std::string_view(e.name) != "relay_version") {
      EXPECT_EQ(key->default_value, e.default_value);
    }
    if (e.type == ConfigType::integer) {
      EXPECT_EQ(key->min, e.min);
      EXPECT_EQ(key->max, e.max);
      EXPECT_EQ(range_text(*key), std::to_string(e.min) + "-" + std::to_string(e.max));
    } else if (std::string_view(e.name) == "pow_mode") {
      EXPECT_EQ(range_text(*key), "disabled/optional/required");
    } else {
      EXPECT_EQ(range_text(*key), "") << "only integers and choices have a range";
    }
  }
  EXPECT_EQ(find_config_key("relay_version")->default_value, software_version());
  EXPECT_FALSE(software_version().empty());
  EXPECT_EQ(find_config_key("relay_port"), nullptr);
}

TEST(ConfigCatalogue, EveryFixedDefaultIsAValidValueOfItsKey) {
  for (const auto& key : config_catalogue()) {
    SCOPED_TRACE(std::string(key.name));
    EXPECT_EQ(canonical_value(key, key.default_value), key.default_value) << "valid and already canonical";
  }
}

TEST(ConfigCatalogue, EveryIntegerRangeHoldsAtBothEndsFromTextAndJson) {
  for (const auto& key : config_catalogue()) {
    if (key.type != ConfigType::integer) continue;
    SCOPED_TRACE(std::string(key.name));
    EXPECT_EQ(canonical_value(key, json(key.min)), std::to_string(key.min));
    EXPECT_EQ(canonical_value(key, json(key.max)), std::to_string(key.max));
    EXPECT_EQ(canonical_value(key, std::to_string(key.max)), std::to_string(key.max));
    const std::string range = std::to_string(key.min) + "-" + std::to_string(key.max);
    EXPECT_EQ(refusal(key, json(key.max + 1)),
              std::string(key.name) + ": " + std::to_string(key.max + 1) + " is not an integer in " + range);
    EXPECT_EQ(refusal(key, json(key.min - 1)),
              std::string(key.name) + ": " + std::to_string(key.min - 1) + " is not an integer in " + range);
    EXPECT_EQ(refusal(key, std::string_view(std::to_string(key.max + 1))),
              std::string(key.name) + ": '" + std::to_string(key.max + 1) + "' is not an integer in " + range);
  }
}

TEST(ConfigValue, IntegersComeFromNumbersOrDecimalStringsOnly) {
  const ConfigKey& key = *find_config_key("max_content_length");
  EXPECT_EQ(canonical_value(key, json("100")), "100");
  EXPECT_EQ(canonical_value(key, std::string_view("100")), "100");
  for (const json& wrong : {json(true), json(1.5), json(nullptr), json::array({1}), json::object(), json("1e3"),
                            json(" 100"), json("+100"), json("0x10"), json(""), json(18446744073709551615ULL)}) {
    SCOPED_TRACE(wrong.dump());
    const std::string why = refusal(key, wrong);
    EXPECT_EQ(why, "max_content_length: " + wrong.dump() + " is not an integer in 1-1048576");
  }
}

TEST(ConfigValue, BooleansComeFromTrueFalseOrTheirStrings) {
  for (const auto& key : config_catalogue()) {
    if (key.type != ConfigType::boolean) continue;
    SCOPED_TRACE(std::string(key.name));
    EXPECT_EQ(canonical_value(key, json(true)), "true");
    EXPECT_EQ(canonical_value(key, json(false)), "false");
    EXPECT_EQ(canonical_value(key, json("true")), "true");
    EXPECT_EQ(canonical_value(key, std::string_view("false")), "false");
    for (const json& wrong : {json(1), json(0), json("yes"), json("TRUE"), json(nullptr)})
      EXPECT_EQ(refusal(key, wrong), std::string(key.name) + ": " + wrong.dump() + " is not true or false");
  }
}

TEST(ConfigValue, StringKeysTakeOnlyStringsOfTheirFormat) {
  const ConfigKey& name = *find_config_key("relay_name");
  EXPECT_EQ(canonical_value(name, json("My relay")), "My relay");
  EXPECT_EQ(refusal(name, json(5)), "relay_name: 5 is not one line of at most 200 bytes");
  EXPECT_NE(refusal(name, json(std::string(201, 'x'))), "accepted");
  EXPECT_NE(refusal(name, json("two\nlines")), "accepted");
  EXPECT_NE(refusal(name, json(std::string("nul\0", 4))), "accepted");
  EXPECT_EQ(canonical_value(*find_config_key("relay_description"), json("two\nlines")), "two\nlines");

  const ConfigKey& mode = *find_config_key("pow_mode");
  for (const char* m : {"disabled", "optional", "required"}) EXPECT_EQ(canonical_value(mode, json(m)), m);
  EXPECT_EQ(refusal(mode, json("sometimes")), "pow_mode: \"sometimes\" is not one of disabled/optional/required");

  const ConfigKey& icon = *find_config_key("relay_icon");
  EXPECT_EQ(canonical_value(icon, json("")), "");
  EXPECT_EQ(canonical_value(icon, json("https://x.example/i.png")), "https://x.example/i.png");
  for (const char* bad : {"ftp://x", "https://", "https://a b", "javascript:alert(1)"}) EXPECT_NE(refusal(icon, json(bad)), "accepted") << bad;
}

TEST(ConfigValue, ListsAreCheckedAndCanonical) {
  const ConfigKey& kinds = *find_config_key("nip42_auth_required_kinds");
  EXPECT_EQ(canonical_value(kinds, json("4, 1059,4,14")), "4,14,1059");
  EXPECT_EQ(canonical_value(kinds, json("")), "");
  EXPECT_NE(refusal(kinds, json("70000")), "accepted");
  EXPECT_NE(refusal(kinds, json("-1")), "accepted");
  EXPECT_NE(refusal(kinds, json("a,b")), "accepted");

  const ConfigKey& nips = *find_config_key("supported_nips");
  EXPECT_EQ(canonical_value(nips, json("11,1, 42")), "1,11,42");
  EXPECT_NE(refusal(nips, json("")), "accepted");
  EXPECT_NE(refusal(nips, json("0")), "accepted");

  const ConfigKey& countries = *find_config_key("relay_countries");
  EXPECT_EQ(canonical_value(countries, json("us, de")), "US,DE");
  EXPECT_EQ(canonical_value(countries, json("*")), "*");
  EXPECT_NE(refusal(countries, json("USA")), "accepted");
  EXPECT_NE(refusal(countries, json("*,US")), "accepted");

  const ConfigKey& languages = *find_config_key("language_tags");
  EXPECT_EQ(canonical_value(languages, json("en, pt-BR")), "en,pt-BR");
  EXPECT_NE(refusal(languages, json("en_US")), "accepted");

  const ConfigKey& admins = *find_config_key("admin_pubkeys");
  const std::string a(64, 'a'), b(64, 'B');
  EXPECT_EQ(canonical_value(admins, json(a + ", " + b + "," + a)), a + "," + std::string(64, 'b'));
  EXPECT_EQ(canonical_value(admins, json("")), "");
  EXPECT_EQ(refusal(admins, json("abc")),
            "admin_pubkeys: \"abc\" is not empty or comma-separated 64-hex pubkeys (at most 50)");
}

TEST(ConfigUpdate, ChecksEveryKeyBeforeAnsweringAndNamesTheFirstBadOne) {
  auto ok = validate_config_update(
      json{{"relay_name", "My relay"}, {"max_content_length", 100}, {"auth_enabled", true}, {"pow_mode", nullptr}});
  EXPECT_EQ(ok.at("relay_name"), "My relay");
  EXPECT_EQ(ok.at("max_content_length"), "100");
  EXPECT_EQ(ok.at("auth_enabled"), "true");
  EXPECT_EQ(ok.at("pow_mode"), std::nullopt) << "null: back to the default";

  try {
    validate_config_update(json{{"relay_name", "fine"}, {"max_connections", 0}});
    FAIL() << "accepted";
  } catch (const ConfigInvalid& e) {
    EXPECT_EQ(e.key(), "max_connections");
    EXPECT_EQ(e.value(), "0");
    EXPECT_EQ(e.expected(), "an integer in 1-10000");
  }
  try {
    validate_config_update(json{{"relay_port", 80}});
    FAIL() << "accepted";
  } catch (const ConfigInvalid& e) {
    EXPECT_EQ(e.key(), "relay_port");
    EXPECT_EQ(e.value(), "80");
    EXPECT_STREQ(e.what(), "unknown key 'relay_port' (not in the configuration catalogue)");
  }
  EXPECT_THROW(validate_config_update(json::array()), ConfigInvalid);
  EXPECT_TRUE(validate_config_update(json::object()).empty());
}

}  // namespace
}  // namespace marina::relay
