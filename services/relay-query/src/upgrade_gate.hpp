#pragma once
// Who may open a WebSocket, decided on the relay as the directory holds it now
// (its configuration and rules are live):
//   - the Host must name a relay that serves clients (else 404 problem);
//   - the client's address must pass the relay's ip rules while auth_enabled
//     (else 403 problem `ip-blocked`);
//   - the client's address must be under RELAY_MAX_CONNECTIONS_PER_IP here
//     (else 429 problem `too-many-connections`);
//   - the relay must be under its max_connections here (else 503 problem
//     `relay-full`, with Retry-After: a lowered limit refuses new connections
//     and leaves the open ones).
// Refusals are answered at the upgrade, as HTTP, so a client learns why
// without a WebSocket. Admitted requests become a Session.
#include <boost/asio/awaitable.hpp>

#include "marina/http/request.hpp"
#include "marina/http/upgrade.hpp"

namespace marina::relay_query {

struct SessionContext;

boost::asio::awaitable<http::UpgradeDecision> decide_upgrade(SessionContext& context, http::Request& request);

}  // namespace marina::relay_query
