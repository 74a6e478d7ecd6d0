#pragma once
// Who may open a WebSocket: the Host must name a relay that serves clients
// (else 404 problem), and the client's IP must be under its connection bound
// (else 429 problem). Admitted requests become a Session.
#include <boost/asio/awaitable.hpp>

#include "marina/http/request.hpp"
#include "marina/http/upgrade.hpp"

namespace marina::relay_query {

struct SessionContext;

boost::asio::awaitable<http::UpgradeDecision> decide_upgrade(SessionContext& context, http::Request& request);

}  // namespace marina::relay_query
