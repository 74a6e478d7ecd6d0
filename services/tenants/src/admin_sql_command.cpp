// sql_query (seed 004, "Database Queries"): one read-only query over this
// relay's data, run by the sandbox (sql_sandbox.hpp: its own role, views
// scoped to the relay, READ ONLY, statement timeout, row bound), answered
// with the seed's fields.
#include "admin_commands.hpp"
#include "sql_sandbox.hpp"

namespace marina::tenants::admin {

namespace {

ErrorCode code_of(SqlQueryError::Kind kind) {
  switch (kind) {
    case SqlQueryError::Kind::validation_failed: return ErrorCode::validation_failed;
    case SqlQueryError::Kind::timeout: return ErrorCode::timeout;
    case SqlQueryError::Kind::database_error: break;
  }
  return ErrorCode::database_error;
}

}  // namespace

boost::asio::awaitable<nlohmann::json> sql_query(CommandEnv& env, const CommandCall& call) {
  std::string query = call.command.text_param(1, "the SQL query");
  SqlQueryResult result;
  try {
    result = co_await env.sql.run(call.relay.relay.id, call.actor.pubkey, std::move(query));
  } catch (const SqlQueryError& e) {
    throw CommandError(code_of(e.kind()), e.what());
  }
  nlohmann::json response = result.json();
  response["query_type"] = "sql_query";
  response["request_id"] = call.request_id;
  response["timestamp"] = call.now_s;
  co_return response;
}

}  // namespace marina::tenants::admin
