#include "upgrade_gate.hpp"

#include "host_routing.hpp"
#include "marina/http/error.hpp"
#include "marina/http/client_address.hpp"
#include "relay_http.hpp"
#include "session.hpp"

namespace marina::relay_query {

boost::asio::awaitable<http::UpgradeDecision> decide_upgrade(SessionContext& context, http::Request& request) {
  std::shared_ptr<const store::Relay> relay =
      co_await serving_relay(context.directory, request, context.settings.relay.relay_domain);
  if (!relay) {
    context.probe.connection(ConnectionResult::unknown_relay);
    co_return http::UpgradeDecision::reject(relay_not_found());
  }
  std::string ip = http::client_address(request.headers, request.remote_address, context.settings.trusted_proxies);
  auto slot = context.connections.admit(ip);
  if (!slot) {
    context.probe.connection(ConnectionResult::too_many_from_ip);
    const auto max = context.settings.relay.limits.max_connections_per_ip;
    co_return http::UpgradeDecision::reject(http::problem(
        429, "too-many-connections", "Too many connections",
        "At most " + std::to_string(max) + " connections per client address; close one first."));
  }
  auto admitted = std::make_shared<ConnectionRegistry::IpSlot>(std::move(*slot));
  http::UpgradeSession session = [&context, relay, ip, admitted](http::Upgraded up) {
    return Session::serve(context, relay, ip, admitted, std::move(up));
  };
  co_return http::UpgradeDecision::accept(std::move(session));
}

}  // namespace marina::relay_query
