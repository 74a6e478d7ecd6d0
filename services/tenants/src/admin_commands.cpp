#include "admin_commands.hpp"

#include <stdexcept>

namespace marina::tenants::admin {

void CommandTable::add(std::string name, Handler handler) {
  if (!handlers_.emplace(name, std::move(handler)).second)
    throw std::logic_error("admin command '" + name + "' added twice");
}

const Handler* CommandTable::find(std::string_view name) const {
  const auto it = handlers_.find(name);
  return it == handlers_.end() ? nullptr : &it->second;
}

CommandTable standard_commands() {
  CommandTable t;
  t.add("config_query", config_query);
  t.add("config_update", config_update);
  t.add("blacklist", add_rule);
  t.add("whitelist", add_rule);
  t.add("delete_auth_rule", delete_rule);
  t.add("auth_query", auth_query);
  t.add("system_command", system_command);
  t.add("stats_query", stats_query);
  t.add("sql_query", sql_query);
  return t;
}

}  // namespace marina::tenants::admin
