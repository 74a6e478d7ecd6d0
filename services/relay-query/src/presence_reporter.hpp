#pragma once
// Reports this replica's connections and subscriptions per relay to Redis
// (libs/streams presence.hpp) every RELAY_QUERY_PRESENCE_INTERVAL, so an
// admin's system_status (tenants) can say how many clients a relay has
// across every replica. One SET and one ZADD per interval, off the hot path:
// the counts are the ones the connection limits already keep.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

namespace marina::redis {
class Client;
}

namespace marina::relay_query {

class ConnectionRegistry;

// Until cancelled. A Redis failure is logged and the next interval tries again.
boost::asio::awaitable<void> report_presence(const ConnectionRegistry& connections, redis::Client& redis,
                                             std::string replica_id, std::chrono::milliseconds every);

}  // namespace marina::relay_query
