#pragma once
// The SQL of a relay's policy writes, as functions on an open transaction
// (the caller runs them with the relay's lock, its checks and its activity
// row). Reads of configuration, rules and plans are libs/store's
// (relay_policy.hpp), the ones the relay services use too.
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace marina::tenants::repo {

// A row of relay_auth_rules as the API shows it.
struct Rule {
  std::int64_t id = 0;
  std::string rule_type;     // whitelist | blacklist
  std::string pattern_type;  // pubkey | kind | ip
  std::string pattern_value; // canonical
  std::string action;        // allow | deny
  std::string reason;        // why (NIP-86 takes one; "" otherwise)
  std::string created_at;    // RFC 3339
};

// Writes `value` as the stored value of `key` (inserted or replaced).
void set_config(pqxx::work& tx, const std::string& relay_id, const std::string& key, const std::string& value);
// Removes `key`'s row: the key is back at its default.
void reset_config(pqxx::work& tx, const std::string& relay_id, const std::string& key);

// Oldest first.
std::vector<Rule> list_rules(pqxx::work& tx, const std::string& relay_id);
// Throws pg::UniqueViolation (constraint relay_auth_rules_unique) for a rule the relay has.
Rule insert_rule(pqxx::work& tx, const std::string& relay_id, const std::string& rule_type,
                 const std::string& pattern_type, const std::string& pattern_value, const std::string& reason = "");
// The deleted rule; nullopt when the relay has no rule `rule_id`.
std::optional<Rule> delete_rule(pqxx::work& tx, const std::string& relay_id, std::int64_t rule_id);
// Every rule of the relay; how many there were.
std::int64_t delete_all_rules(pqxx::work& tx, const std::string& relay_id);
std::int64_t count_rules(pqxx::work& tx, const std::string& relay_id, const std::string& rule_type);

}  // namespace marina::tenants::repo
