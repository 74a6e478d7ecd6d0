#pragma once
// What the harness does to a PostgreSQL server it did not necessarily start:
// point a URL at another database, create a database, wait until it answers.
#include <chrono>
#include <string>

namespace marina::testing::detail {

// `url` (postgresql://user@host:port/db?params) with its database replaced.
std::string with_database(const std::string& url, const std::string& database);

// CREATE DATABASE through `url` (any database on the server).
void create_database(const std::string& url, const std::string& name);

// True when the server at `url` accepts connections.
bool pg_accepting(const std::string& url);

}  // namespace marina::testing::detail
