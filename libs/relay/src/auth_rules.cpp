#include "marina/relay/auth_rules.hpp"

#include <algorithm>
#include <charconv>

#include "marina/nostr/hex.hpp"

namespace marina::relay {
namespace {

bool any_contains(const std::vector<IpNetwork>& networks, std::string_view address) {
  if (networks.empty()) return false;
  const auto ip = IpNetwork::parse(address);
  if (!ip || ip->prefix() != (ip->is_v6() ? 128 : 32)) return false;
  return std::any_of(networks.begin(), networks.end(), [&](const IpNetwork& n) { return n.contains(*ip); });
}

}  // namespace

std::string_view to_string(RuleType type) noexcept { return type == RuleType::whitelist ? "whitelist" : "blacklist"; }

std::string_view to_string(PatternType type) noexcept {
  switch (type) {
    case PatternType::kind:
      return "kind";
    case PatternType::ip:
      return "ip";
    case PatternType::pubkey:
      break;
  }
  return "pubkey";
}

std::optional<RuleType> parse_rule_type(std::string_view text) noexcept {
  if (text == "whitelist") return RuleType::whitelist;
  if (text == "blacklist") return RuleType::blacklist;
  return std::nullopt;
}

std::optional<PatternType> parse_pattern_type(std::string_view text) noexcept {
  if (text == "pubkey") return PatternType::pubkey;
  if (text == "kind") return PatternType::kind;
  if (text == "ip") return PatternType::ip;
  return std::nullopt;
}

std::string_view rule_action(RuleType type) noexcept { return type == RuleType::whitelist ? "allow" : "deny"; }

std::optional<std::string> canonical_pattern(PatternType type, std::string_view text) {
  switch (type) {
    case PatternType::pubkey:
      if (!nostr::is_lower_hex(text, 64)) return std::nullopt;
      return std::string(text);
    case PatternType::kind: {
      int kind = -1;
      if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
      std::from_chars(text.data(), text.data() + text.size(), kind);
      if (kind < 0 || kind > 65535) return std::nullopt;
      return std::to_string(kind);
    }
    case PatternType::ip: {
      auto network = IpNetwork::parse(text);
      if (!network) return std::nullopt;
      return network->to_string();
    }
  }
  return std::nullopt;
}

std::string_view pattern_expectation(PatternType type) noexcept {
  switch (type) {
    case PatternType::kind:
      return "an event kind 0-65535";
    case PatternType::ip:
      return "an IPv4 or IPv6 address or CIDR network";
    case PatternType::pubkey:
      break;
  }
  return "a pubkey of 64 lower-case hex characters";
}

AuthRules::AuthRules(std::vector<AuthRule> rules) {
  for (auto& rule : rules) {
    auto pattern = canonical_pattern(rule.pattern_type, rule.pattern_value);
    if (!pattern || *pattern != rule.pattern_value) continue;
    const bool allow = rule.rule_type == RuleType::whitelist;
    switch (rule.pattern_type) {
      case PatternType::pubkey:
        (allow ? pubkey_allow_ : pubkey_deny_).insert(rule.pattern_value);
        break;
      case PatternType::kind:
        (allow ? kind_allow_ : kind_deny_).insert(std::stoi(rule.pattern_value));
        break;
      case PatternType::ip:
        (allow ? ip_allow_ : ip_deny_).push_back(*IpNetwork::parse(rule.pattern_value));
        break;
    }
    rules_.push_back(std::move(rule));
  }
}

bool AuthRules::pubkey_blacklisted(std::string_view pubkey_hex) const {
  return pubkey_deny_.contains(std::string(pubkey_hex));
}
bool AuthRules::pubkey_whitelisted(std::string_view pubkey_hex) const {
  return pubkey_allow_.contains(std::string(pubkey_hex));
}
bool AuthRules::kind_blacklisted(int kind) const { return kind_deny_.contains(kind); }
bool AuthRules::kind_whitelisted(int kind) const { return kind_allow_.contains(kind); }
bool AuthRules::ip_blacklisted(std::string_view address) const { return any_contains(ip_deny_, address); }
bool AuthRules::ip_whitelisted(std::string_view address) const { return any_contains(ip_allow_, address); }

std::size_t AuthRules::whitelist_count() const {
  return static_cast<std::size_t>(std::count_if(rules_.begin(), rules_.end(),
                                                [](const AuthRule& r) { return r.rule_type == RuleType::whitelist; }));
}

}  // namespace marina::relay
