#include "policy_commands.hpp"

#include <iostream>

#include "marina/nostr/hex.hpp"
#include "marina/nostr/nip19.hpp"
#include "output.hpp"

namespace marina::cli {
namespace {

using nlohmann::json;

const std::vector<Column> kConfigColumns = {
    {"KEY", "key"}, {"VALUE", "value"}, {"TYPE", "data_type"}, {"RANGE", "range"}, {"CATEGORY", "category"}};
const std::vector<Column> kRuleColumns = {{"ID", "id"},           {"TYPE", "rule_type"}, {"PATTERN_TYPE", "pattern_type"},
                                          {"PATTERN", "pattern_value"}, {"ACTION", "action"}, {"CREATED", "created_at"}};

std::string word(const PolicyContext& ctx, std::size_t i, const char* what) {
  if (i >= ctx.args.words().size()) throw UsageError(std::string("missing ") + what);
  return ctx.args.words()[i];
}

void expect_words(const PolicyContext& ctx, std::size_t n) {
  if (ctx.args.words().size() > n) throw UsageError("unexpected argument '" + ctx.args.words()[n] + "'");
}

bool looks_like_uuid(const std::string& s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

// The relay's id: as given when it is one, else the id of the caller's relay
// with that subdomain (looked up in their relay list).
std::string relay_id(PolicyContext& ctx, const std::string& ref) {
  if (looks_like_uuid(ref)) return ref;
  std::string sub = ref;
  for (auto& c : sub) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<std::string> cursor;
  do {
    std::string target = "/tenant/relays?limit=200";
    if (cursor) target += "&cursor=" + *cursor;
    const json page = ctx.call("GET", target, std::nullopt);
    for (const auto& r : page["items"])
      if (r.value("subdomain", "") == sub) return r["id"].get<std::string>();
    cursor = page["next_cursor"].is_string() ? std::optional(page["next_cursor"].get<std::string>()) : std::nullopt;
  } while (cursor);
  throw std::runtime_error("you have no relay with id or subdomain '" + ref + "'");
}

void show_config(const PolicyContext& ctx, const json& document) {
  if (ctx.as_json) std::cout << document.dump(2) << '\n';
  else print_table(std::cout, document["data"], kConfigColumns);
}

void show_rule(const PolicyContext& ctx, const json& rule) {
  if (ctx.as_json) std::cout << rule.dump(2) << '\n';
  else print_object(std::cout, rule);
}

// An npub is accepted where a pubkey pattern is expected.
std::string pattern_value(const std::string& pattern_type, const std::string& value) {
  if (pattern_type == "pubkey" && value.rfind("npub1", 0) == 0) {
    auto key = nostr::nip19::decode_npub(value);
    if (!key) throw UsageError("'" + value + "' is not a valid npub");
    return nostr::hex_encode(key->span());
  }
  return value;
}

}  // namespace

int config_command(PolicyContext& ctx) {
  const std::string sub = word(ctx, 2, "config subcommand (get, set, reset)");
  const std::string base = "/tenant/relays/" + relay_id(ctx, word(ctx, 3, "relay id or subdomain")) + "/config";
  if (sub == "get") {
    expect_words(ctx, 5);
    const json document = ctx.call("GET", base, std::nullopt);
    if (ctx.args.words().size() < 5) {
      show_config(ctx, document);
      return 0;
    }
    const std::string key = ctx.args.words()[4];
    for (const auto& entry : document["data"]) {
      if (entry["key"] != key) continue;
      if (ctx.as_json) std::cout << entry.dump(2) << '\n';
      else std::cout << entry["value"].get<std::string>() << '\n';
      return 0;
    }
    throw std::runtime_error("there is no configuration key '" + key + "'");
  }
  json body = json::object();
  if (sub == "set") {
    // key=value: sent as a string; the API reads integers and booleans from their text.
    for (std::size_t i = 4; i < ctx.args.words().size(); ++i) {
      const std::string& pair = ctx.args.words()[i];
      const auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0) throw UsageError("'" + pair + "' is not key=value");
      body[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
  } else if (sub == "reset") {
    for (std::size_t i = 4; i < ctx.args.words().size(); ++i) body[ctx.args.words()[i]] = nullptr;
  } else {
    throw UsageError("unknown config subcommand '" + sub + "'");
  }
  if (body.empty()) throw UsageError("config " + sub + " needs at least one key" + (sub == "set" ? "=value" : ""));
  show_config(ctx, ctx.call("PUT", base, body));
  return 0;
}

int rules_command(PolicyContext& ctx) {
  const std::string sub = word(ctx, 2, "rules subcommand (list, add, remove)");
  if (sub != "list" && sub != "add" && sub != "remove") throw UsageError("unknown rules subcommand '" + sub + "'");
  const std::string base = "/tenant/relays/" + relay_id(ctx, word(ctx, 3, "relay id or subdomain")) + "/rules";
  if (sub == "list") {
    expect_words(ctx, 4);
    const json document = ctx.call("GET", base, std::nullopt);
    if (ctx.as_json) std::cout << document.dump(2) << '\n';
    else print_table(std::cout, document["data"], kRuleColumns);
  } else if (sub == "add") {
    expect_words(ctx, 7);
    const std::string pattern_type = word(ctx, 5, "pattern type (pubkey, kind, ip)");
    const json body = {{"rule_type", word(ctx, 4, "rule type (whitelist, blacklist)")},
                       {"pattern_type", pattern_type},
                       {"pattern_value", pattern_value(pattern_type, word(ctx, 6, "pattern value"))}};
    show_rule(ctx, ctx.call("POST", base, body));
  } else {
    expect_words(ctx, 5);
    const std::string rule_id = word(ctx, 4, "rule id");
    ctx.call("DELETE", base + "/" + rule_id, std::nullopt);
    if (ctx.as_json) std::cout << json{{"removed", rule_id}}.dump(2) << '\n';
    else std::cout << "removed rule " << rule_id << '\n';
  }
  return 0;
}

}  // namespace marina::cli
