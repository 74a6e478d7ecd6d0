#pragma once
// A relay's auth rules (seed 004 "Auth Rules Management"): whitelist and
// blacklist rules on a pubkey, an event kind or a client IP (address or
// CIDR network). Rules are stored in `relay_auth_rules` with their pattern in
// the canonical form canonical_pattern() gives; AuthRules indexes one relay's
// rules for the relay services' lookups (built once per change, shared).
//
// What the rules mean is the relay services' business (issue #10): with
// auth_enabled a blacklisted pubkey cannot publish, a pubkey whitelist admits
// only its pubkeys, blacklisted IPs cannot connect, a kind whitelist refuses
// other kinds.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "marina/relay/ip_network.hpp"

namespace marina::relay {

enum class RuleType { whitelist, blacklist };
enum class PatternType { pubkey, kind, ip };

std::string_view to_string(RuleType type) noexcept;
std::string_view to_string(PatternType type) noexcept;
std::optional<RuleType> parse_rule_type(std::string_view text) noexcept;
std::optional<PatternType> parse_pattern_type(std::string_view text) noexcept;
// "allow" for a whitelist rule, "deny" for a blacklist rule.
std::string_view rule_action(RuleType type) noexcept;

// The canonical pattern, or nullopt when `text` is not one of `type`:
// pubkey 64 lower-case hex; kind a decimal integer 0-65535 (no sign, no
// leading zeros kept); ip an IPv4/IPv6 address or CIDR network
// (IpNetwork::to_string).
std::optional<std::string> canonical_pattern(PatternType type, std::string_view text);
// What a pattern of `type` must be, in words (for refusals).
std::string_view pattern_expectation(PatternType type) noexcept;

struct AuthRule {
  std::int64_t id = 0;
  RuleType rule_type = RuleType::blacklist;
  PatternType pattern_type = PatternType::pubkey;
  std::string pattern_value;  // canonical
};

class AuthRules {
 public:
  AuthRules() = default;
  // Rules whose pattern is not canonical for its type are left out.
  explicit AuthRules(std::vector<AuthRule> rules);

  const std::vector<AuthRule>& all() const { return rules_; }
  bool empty() const { return rules_.empty(); }

  bool pubkey_blacklisted(std::string_view pubkey_hex) const;
  bool has_pubkey_whitelist() const { return !pubkey_allow_.empty(); }
  bool pubkey_whitelisted(std::string_view pubkey_hex) const;

  bool kind_blacklisted(int kind) const;
  bool has_kind_whitelist() const { return !kind_allow_.empty(); }
  bool kind_whitelisted(int kind) const;

  // `address` as the socket reports it ("192.0.2.7", "::ffff:192.0.2.7", "2001:db8::1").
  bool ip_blacklisted(std::string_view address) const;
  bool has_ip_whitelist() const { return !ip_allow_.empty(); }
  bool ip_whitelisted(std::string_view address) const;

  std::size_t whitelist_count() const;

 private:
  std::vector<AuthRule> rules_;
  std::unordered_set<std::string> pubkey_allow_, pubkey_deny_;
  std::unordered_set<int> kind_allow_, kind_deny_;
  std::vector<IpNetwork> ip_allow_, ip_deny_;
};

using AuthRulesPtr = std::shared_ptr<const AuthRules>;

}  // namespace marina::relay
