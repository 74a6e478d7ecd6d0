#pragma once
// Closes connections that have no subscription and sent nothing for
// RELAY_IDLE_TIMEOUT. One periodic sweep for all connections instead of a
// timer per connection keeps idle connections cheap.
#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace marina::relay_query {

class ConnectionRegistry;

// Runs until cancelled: every `every`, asks each connection to check itself.
boost::asio::awaitable<void> sweep_idle_connections(ConnectionRegistry& connections, std::chrono::milliseconds every);

// How often to sweep for a given idle timeout: a quarter of it, between 1 s and 30 s.
std::chrono::milliseconds idle_sweep_interval(std::chrono::milliseconds idle_timeout);

}  // namespace marina::relay_query
