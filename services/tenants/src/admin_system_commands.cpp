// system_command (system_status, clear_all_auth_rules) and stats_query
// (seed 004, "System Commands"), for this relay only.
#include <algorithm>

#include "admin_commands.hpp"
#include "admin_presence.hpp"
#include "marina/pg/pool.hpp"
#include "marina/relay/config_keys.hpp"
#include "policy.hpp"

namespace marina::tenants::admin {

namespace {

boost::asio::awaitable<nlohmann::json> system_status(CommandEnv& env, const CommandCall& call) {
  const AdminRelay& r = call.relay;
  const std::string id = r.relay.id;
  const RelaySize size = co_await env.db.transaction([&](pqxx::work& tx) { return relay_size(tx, id); });
  const RelayPresence::Counts live = co_await env.presence.of(id);
  // "running" is what a relay that answers commands is: relay-ingest hands
  // on commands only for relays that accept events.
  co_return nlohmann::json{{"query_type", "system_status"},
                           {"timestamp", call.now_s},
                           {"status", "running"},
                           {"uptime_seconds", std::max<std::int64_t>(0, call.now_s - r.created_at_s)},
                           {"version", relay::software_version()},
                           {"relay_pubkey", r.relay.relay_pubkey},
                           {"database_size_bytes", size.database_size_bytes},
                           {"total_events", size.total_events},
                           {"active_connections", live.connections},
                           {"active_subscriptions", live.subscriptions}};
}

}  // namespace

boost::asio::awaitable<nlohmann::json> system_command(CommandEnv& env, const CommandCall& call) {
  const std::string which = call.command.text_param(1, "the system command (system_status or clear_all_auth_rules)");
  if (which == "system_status") co_return co_await system_status(env, call);
  if (which == "clear_all_auth_rules") {
    const std::int64_t removed = co_await env.policy.clear_rules(call.actor, call.relay.relay.id);
    nlohmann::json response = success_response("system_command", "All auth rules cleared", call.now_s);
    response["rules_removed"] = removed;
    co_return response;
  }
  throw CommandError(ErrorCode::invalid_command, "unknown system command '" + which.substr(0, 100) +
                                                     "' (system_status, clear_all_auth_rules)");
}

boost::asio::awaitable<nlohmann::json> stats_query(CommandEnv& env, const CommandCall& call) {
  const StatsLimits limits = env.stats_limits;
  const AdminRelay& relay = call.relay;
  const std::int64_t now = call.now_s;
  const std::string body =
      co_await env.db.transaction([&](pqxx::work& tx) { return relay_stats_json(tx, relay, now, limits); },
                                  pg::TxOptions{.read_only = true});
  nlohmann::json stats = nlohmann::json::parse(body);
  nlohmann::json response = {{"query_type", "stats_query"}, {"timestamp", call.now_s}};
  for (auto& [k, v] : stats.items()) response[k] = std::move(v);
  co_return response;
}

}  // namespace marina::tenants::admin
