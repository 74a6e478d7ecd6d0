#pragma once
// What the sandbox role could do that it must not, asked from a sandbox
// connection itself (so it sees that role's privileges, inherited ones
// included): superuser or role/database creation, any table or view outside
// the relay_sql schema, or any of the side-effect functions
// migrations/0009_sql_sandbox.sql revokes from PUBLIC. A DBA who ran the
// migration without superuser rights, or pointed SQL_SANDBOX_DATABASE_URL at
// the wrong role, gets every sql_query refused instead of a hole.
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace marina::tenants {

// At most a few problems, each one line naming the privilege; empty when the
// role is harmless.
std::vector<std::string> sandbox_role_problems(pqxx::connection& conn);

}  // namespace marina::tenants
