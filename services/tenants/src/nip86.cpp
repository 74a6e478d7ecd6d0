#include "nip86.hpp"

#include <algorithm>
#include <cctype>

#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "marina/pg/pool.hpp"
#include "marina/relay/auth_rules.hpp"
#include "marina/store/event_store.hpp"
#include "relay_guard.hpp"
#include "repository.hpp"

namespace marina::tenants {

namespace {

using nlohmann::json;

// A method's own refusal: NIP-86's "error" text.
class MethodError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool is_list(const std::string& method) { return method.starts_with("list") || method == "supportedmethods"; }

std::string text_param(const json& params, std::size_t i, const char* what) {
  if (params.size() <= i || !params[i].is_string()) throw MethodError("params[" + std::to_string(i) + "] must be " + what);
  return params[i].get<std::string>();
}

// The optional reason that follows a pubkey, event id or ip.
std::string reason_param(const json& params, std::size_t i) {
  if (params.size() <= i || params[i].is_null()) return "";
  if (!params[i].is_string()) throw MethodError("params[" + std::to_string(i) + "] (the reason) must be a string");
  std::string reason = params[i].get<std::string>();
  if (reason.size() > 500) throw MethodError("the reason is longer than 500 bytes");
  return reason;
}

std::string pattern_param(const json& params, relay::PatternType type, const char* what) {
  std::string text;
  if (type == relay::PatternType::kind && !params.empty() && params[0].is_number_integer()) text = params[0].dump();
  else text = text_param(params, 0, what);
  auto canonical = relay::canonical_pattern(type, text);
  if (!canonical)
    throw MethodError("'" + text.substr(0, 100) + "' is not " + std::string(relay::pattern_expectation(type)));
  return *canonical;
}

std::string event_id_param(const json& params) {
  std::string id = text_param(params, 0, "a 32-byte hex event id");
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  if (id.size() != 64 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw MethodError("'" + id.substr(0, 100) + "' is not a 32-byte hex event id");
  return id;
}

NewRule rule(const char* rule_type, const char* pattern_type, std::string value, std::string reason = "") {
  return NewRule{rule_type, pattern_type, std::move(value), std::move(reason)};
}

// The config key each change* method sets.
const char* config_key_of(const std::string& method) {
  if (method == "changerelayname") return "relay_name";
  if (method == "changerelaydescription") return "relay_description";
  if (method == "changerelayicon") return "relay_icon";
  return nullptr;
}

}  // namespace

Nip86::Nip86(pg::Pool& db, Policy& policy, store::EventStore& events) : db_(db), policy_(policy), events_(events) {}

const std::vector<std::string>& Nip86::methods() {
  static const std::vector<std::string> names = {
      "supportedmethods",   "banpubkey",       "unbanpubkey",         "listbannedpubkeys",      "allowpubkey",
      "unallowpubkey",      "listallowedpubkeys", "banevent",         "allowevent",             "listbannedevents",
      "changerelayname",    "changerelaydescription", "changerelayicon", "allowkind",            "disallowkind",
      "listallowedkinds",   "blockip",         "unblockip",           "listblockedips"};
  return names;
}

boost::asio::awaitable<json> Nip86::call(const Actor& actor, const Relay& relay, const json& request) {
  if (!request.is_object() || !request.contains("method") || !request["method"].is_string())
    co_return json{{"result", nullptr}, {"error", "the body must be {\"method\": \"<name>\", \"params\": [...]}"}};
  const std::string method = request["method"].get<std::string>();
  json params = request.value("params", json::array());
  if (!params.is_array()) co_return json{{"result", nullptr}, {"error", "params must be an array"}};
  if (std::find(methods().begin(), methods().end(), method) == methods().end())
    co_return json{{"result", nullptr}, {"error", "unsupported method '" + method.substr(0, 100) + "'"}};
  std::string error;
  try {
    json result = co_await dispatch(actor, relay, method, params);
    co_return json{{"result", std::move(result)}};
  } catch (const MethodError& e) {
    error = e.what();
  } catch (const http::Error& e) {
    error = e.code() + ": " + e.detail();
  }
  if (!is_list(method)) co_await record_refusal(actor, relay, method, params, error);
  co_return json{{"result", nullptr}, {"error", error}};
}

boost::asio::awaitable<json> Nip86::dispatch(const Actor& actor, const Relay& relay, const std::string& method,
                                             const json& params) {
  using relay::PatternType;
  if (method == "supportedmethods") co_return json(methods());

  if (method == "banpubkey" || method == "allowpubkey") {
    const auto pk = pattern_param(params, PatternType::pubkey, "a 32-byte hex public key");
    // Named first: GCC 12 destroys an aggregate temporary inside co_await twice (libs/pg README).
    const NewRule r = rule(method == "banpubkey" ? "blacklist" : "whitelist", "pubkey", pk, reason_param(params, 1));
    co_return co_await add_rule(actor, relay, r);
  }
  if (method == "unbanpubkey" || method == "unallowpubkey") {
    const auto pk = pattern_param(params, PatternType::pubkey, "a 32-byte hex public key");
    const NewRule r = rule(method == "unbanpubkey" ? "blacklist" : "whitelist", "pubkey", pk);
    co_return co_await remove_rule(actor, relay, r);
  }
  if (method == "listbannedpubkeys" || method == "listallowedpubkeys") {
    json out = json::array();
    const auto rules = co_await rules_of(relay, method == "listbannedpubkeys" ? "blacklist" : "whitelist", "pubkey");
    for (const auto& r : rules) out.push_back({{"pubkey", r.pattern_value}, {"reason", r.reason}});
    co_return out;
  }

  if (method == "allowkind") {
    const NewRule r = rule("whitelist", "kind", pattern_param(params, PatternType::kind, "a kind number"));
    co_return co_await add_rule(actor, relay, r);
  }
  if (method == "disallowkind") {
    const NewRule r = rule("whitelist", "kind", pattern_param(params, PatternType::kind, "a kind number"));
    co_return co_await remove_rule(actor, relay, r);
  }
  if (method == "listallowedkinds") {
    json out = json::array();
    const auto rules = co_await rules_of(relay, "whitelist", "kind");
    for (const auto& r : rules) out.push_back(std::stoi(r.pattern_value));
    co_return out;
  }

  if (method == "blockip") {
    const NewRule r = rule("blacklist", "ip", pattern_param(params, PatternType::ip, "an IP address or CIDR"),
                           reason_param(params, 1));
    co_return co_await add_rule(actor, relay, r);
  }
  if (method == "unblockip") {
    const NewRule r = rule("blacklist", "ip", pattern_param(params, PatternType::ip, "an IP address or CIDR"));
    co_return co_await remove_rule(actor, relay, r);
  }
  if (method == "listblockedips") {
    json out = json::array();
    const auto rules = co_await rules_of(relay, "blacklist", "ip");
    for (const auto& r : rules) out.push_back({{"ip", r.pattern_value}, {"reason", r.reason}});
    co_return out;
  }

  if (const char* key = config_key_of(method)) {
    const json update = {{key, text_param(params, 0, "a string")}};
    co_await policy_.update_config(actor, relay.id, update);
    co_return true;
  }

  if (method == "banevent") {
    const std::string id = event_id_param(params), reason = reason_param(params, 1);
    co_return co_await ban_event(actor, relay, id, reason);
  }
  if (method == "allowevent") {
    const std::string id = event_id_param(params);
    co_return co_await allow_event(actor, relay, id);
  }
  if (method == "listbannedevents") {
    auto list = [&relay](pqxx::work& tx) {
      json out = json::array();
      for (const auto& row : tx.exec_params(
               "SELECT event_id, reason FROM relay_banned_events WHERE relay_id = $1::uuid ORDER BY created_at, event_id",
               relay.id))
        out.push_back({{"id", row[0].c_str()}, {"reason", row[1].c_str()}});
      return out;
    };
    co_return co_await db_.transaction(list);
  }
  throw MethodError("unsupported method '" + method + "'");
}

boost::asio::awaitable<json> Nip86::add_rule(const Actor& actor, const Relay& relay, NewRule r) {
  try {
    co_await policy_.add_rule(actor, relay.id, r);
  } catch (const http::Error& e) {
    if (e.code() != "rule-exists") throw;
  }
  co_return true;
}

boost::asio::awaitable<json> Nip86::remove_rule(const Actor& actor, const Relay& relay, const NewRule& r) {
  const auto rules = co_await policy_.rules(relay.id, std::nullopt);
  for (const auto& existing : rules) {
    if (existing.rule_type == r.rule_type && existing.pattern_type == r.pattern_type &&
        existing.pattern_value == r.pattern_value) {
      try {
        co_await policy_.remove_rule(actor, relay.id, std::to_string(existing.id));
      } catch (const http::Error& e) {
        if (e.code() != "rule-not-found") throw;  // removed meanwhile: the end state holds
      }
    }
  }
  co_return true;
}

boost::asio::awaitable<std::vector<repo::Rule>> Nip86::rules_of(const Relay& relay, const char* rule_type,
                                                                const char* pattern_type) {
  std::vector<repo::Rule> out;
  auto rules = co_await policy_.rules(relay.id, std::nullopt);
  for (auto& r : rules)
    if (r.rule_type == rule_type && r.pattern_type == pattern_type) out.push_back(std::move(r));
  co_return out;
}

boost::asio::awaitable<json> Nip86::ban_event(const Actor& actor, const Relay& relay, const std::string& id,
                                              const std::string& reason) {
  // The owner's standing is checked before anything changes (as every write does).
  auto check = [&](pqxx::work& tx) { lock_relay_for_write(tx, actor, relay.id, std::nullopt); };
  co_await db_.transaction(check);
  const auto author = co_await events_.ban(relay.id, id);
  if (!author) {
    // Banned before (and so deleted): still banned, nothing to do.
    auto known = [&](pqxx::work& tx) {
      return !tx.exec_params("SELECT 1 FROM relay_banned_events WHERE relay_id = $1::uuid AND event_id = $2", relay.id,
                             id)
                  .empty();
    };
    if (co_await db_.transaction(known)) co_return true;
    throw MethodError("this relay holds no event " + id + " (only stored events can be banned)");
  }
  auto record = [&](pqxx::work& tx) {
    const Relay locked = lock_relay_for_write(tx, actor, relay.id, std::nullopt);
    tx.exec_params(
        "INSERT INTO relay_banned_events (relay_id, event_id, author, reason) VALUES ($1::uuid, $2, $3, $4) "
        "ON CONFLICT (relay_id, event_id) DO UPDATE SET reason = EXCLUDED.reason",
        relay.id, id, *author, reason);
    repo::record_activity(tx, locked, actor, "event_banned",
                          json{{"id", id}, {"author", *author}, {"reason", reason}}.dump());
  };
  co_await db_.transaction(record);
  co_return true;
}

boost::asio::awaitable<json> Nip86::allow_event(const Actor& actor, const Relay& relay, const std::string& id) {
  auto find = [&](pqxx::work& tx) -> std::optional<std::string> {
    lock_relay_for_write(tx, actor, relay.id, std::nullopt);
    const auto rows =
        tx.exec_params("SELECT author FROM relay_banned_events WHERE relay_id = $1::uuid AND event_id = $2", relay.id, id);
    if (rows.empty()) return std::nullopt;
    return std::string(rows[0][0].c_str());
  };
  const auto author = co_await db_.transaction(find);
  if (!author) co_return true;  // not banned: nothing to allow
  co_await events_.unban(relay.id, id, *author);
  auto record = [&](pqxx::work& tx) {
    const Relay locked = lock_relay_for_write(tx, actor, relay.id, std::nullopt);
    tx.exec_params("DELETE FROM relay_banned_events WHERE relay_id = $1::uuid AND event_id = $2", relay.id, id);
    repo::record_activity(tx, locked, actor, "event_allowed", json{{"id", id}, {"author", *author}}.dump());
  };
  co_await db_.transaction(record);
  co_return true;
}

boost::asio::awaitable<void> Nip86::record_refusal(const Actor& actor, const Relay& relay, const std::string& method,
                                                   const json& params, const std::string& error) {
  const std::string details = json{{"method", method}, {"params", params}}.dump(-1, ' ', false, json::error_handler_t::replace);
  const std::string result = "error: " + error.substr(0, 900);
  auto record = [&](pqxx::work& tx) {
    if (auto current = repo::find_relay(tx, relay.id, std::nullopt))
      repo::record_activity(tx, *current, actor, method, details, result);
  };
  try {
    co_await db_.transaction(record);
  } catch (const std::exception& e) {
    log::warn("nip86 refusal not recorded", {{"relay", relay.id}, {"method", method}, {"error", e.what()}});
  }
}

}  // namespace marina::tenants
