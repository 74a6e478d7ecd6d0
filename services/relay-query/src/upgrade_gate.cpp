#include "upgrade_gate.hpp"

#include "host_routing.hpp"
#include "marina/http/client_address.hpp"
#include "marina/http/error.hpp"
#include "marina/relay/client_limits.hpp"
#include "relay_http.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace {

// How long a client refused for a full relay is asked to wait.
constexpr const char* kRelayFullRetryAfterSeconds = "5";

}  // namespace

boost::asio::awaitable<http::UpgradeDecision> decide_upgrade(SessionContext& context, http::Request& request) {
  std::shared_ptr<const store::Relay> relay =
      co_await serving_relay(context.directory, request, context.settings.relay.relay_domain);
  if (!relay) {
    context.probe.connection(ConnectionResult::unknown_relay);
    co_return http::UpgradeDecision::reject(relay_not_found());
  }
  std::string ip = http::client_address(request.headers, request.remote_address, context.settings.trusted_proxies);
  const relay::RelayConfig& config = *relay->config;  // never null from the directory
  if (const auto admission = relay::ip_admission(config, relay->rules.get(), ip);
      admission != relay::IpAdmission::admitted) {
    context.probe.connection(ConnectionResult::ip_blocked);
    co_return http::UpgradeDecision::reject(
        http::problem(403, std::string(relay::kIpBlockedCode), "Address not admitted", relay::ip_refusal(admission)));
  }
  const std::size_t max_connections = relay::connections(config);
  auto admission = context.connections.admit(ip, relay->id, max_connections);
  if (admission.refusal == ConnectionRegistry::Refusal::too_many_from_ip) {
    context.probe.connection(ConnectionResult::too_many_from_ip);
    const auto max = context.settings.relay.limits.max_connections_per_ip;
    co_return http::UpgradeDecision::reject(http::problem(
        429, "too-many-connections", "Too many connections",
        "At most " + std::to_string(max) + " connections per client address; close one first."));
  }
  if (admission.refusal == ConnectionRegistry::Refusal::relay_full) {
    context.probe.connection(ConnectionResult::relay_full);
    http::Response full = http::problem(503, std::string(relay::kRelayFullCode), "Relay full",
                                        relay::relay_full_detail(max_connections));
    full.headers.set("Retry-After", kRelayFullRetryAfterSeconds);
    co_return http::UpgradeDecision::reject(std::move(full));
  }
  auto admitted = std::make_shared<ConnectionRegistry::Slot>(std::move(*admission.slot));
  http::UpgradeSession session = [&context, relay, ip, admitted](http::Upgraded up) {
    return Session::serve(context, relay, ip, admitted, std::move(up));
  };
  co_return http::UpgradeDecision::accept(std::move(session));
}

}  // namespace marina::relay_query
