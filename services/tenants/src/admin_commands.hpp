#pragma once
// The admin commands of seed 004 and how they are found: a table of name ->
// handler, so a command is one entry (sql_query joins it the same way).
// A handler gets the relay, who is acting and the shared policy code (the
// same Policy the HTTP routes use, so both doors validate alike, write the
// same activity rows and publish the same facts), and returns the response
// object; it throws admin::CommandError (or what Policy throws, mapped by
// the executor) for an error response.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "admin_protocol.hpp"
#include "admin_repository.hpp"
#include "model.hpp"

namespace marina::pg {
class Pool;
}

namespace marina::tenants {
class Policy;
class SqlSandbox;
}

namespace marina::tenants::admin {

class RelayPresence;

// What the commands may read; the limits are the service's settings.
struct CommandEnv {
  Policy& policy;             // on the admin pool (statement timeout = ADMIN_COMMAND_TIMEOUT)
  pg::Pool& db;               // the admin pool
  RelayPresence& presence;    // live connections and subscriptions, from relay-query
  StatsLimits stats_limits;
  SqlSandbox& sql;            // sql_query: its own connections as the sandbox role
};

struct CommandCall {
  const AdminRelay& relay;
  const Actor& actor;
  const Command& command;
  std::int64_t now_s;
  std::string_view request_id;  // the kind 23456 event's id (hex)
};

using Handler = std::function<boost::asio::awaitable<nlohmann::json>(CommandEnv&, const CommandCall&)>;

class CommandTable {
 public:
  // Throws std::logic_error for a name added twice.
  void add(std::string name, Handler handler);
  // nullptr when there is no such command.
  const Handler* find(std::string_view name) const;

 private:
  std::map<std::string, Handler, std::less<>> handlers_;
};

// config_query, config_update, blacklist, whitelist, delete_auth_rule,
// auth_query, system_command, stats_query, sql_query.
CommandTable standard_commands();

// The handlers, by file.
boost::asio::awaitable<nlohmann::json> config_query(CommandEnv& env, const CommandCall& call);   // admin_config_commands.cpp
boost::asio::awaitable<nlohmann::json> config_update(CommandEnv& env, const CommandCall& call);
boost::asio::awaitable<nlohmann::json> add_rule(CommandEnv& env, const CommandCall& call);       // admin_rule_commands.cpp
boost::asio::awaitable<nlohmann::json> delete_rule(CommandEnv& env, const CommandCall& call);
boost::asio::awaitable<nlohmann::json> auth_query(CommandEnv& env, const CommandCall& call);
boost::asio::awaitable<nlohmann::json> system_command(CommandEnv& env, const CommandCall& call); // admin_system_commands.cpp
boost::asio::awaitable<nlohmann::json> stats_query(CommandEnv& env, const CommandCall& call);
boost::asio::awaitable<nlohmann::json> sql_query(CommandEnv& env, const CommandCall& call);     // admin_sql_command.cpp

}  // namespace marina::tenants::admin
