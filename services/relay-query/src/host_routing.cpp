#include "host_routing.hpp"

#include "marina/http/request.hpp"
#include "marina/store/relay_directory.hpp"

namespace marina::relay_query {

std::optional<std::string> relay_subdomain(std::string_view host, std::string_view relay_domain) {
  return store::subdomain_of(host, relay_domain);
}

bool serves_clients(const store::Relay& relay) noexcept { return relay.status != store::RelayStatus::inactive; }

boost::asio::awaitable<std::shared_ptr<const store::Relay>> serving_relay(store::RelayDirectory& directory,
                                                                          const http::Request& request,
                                                                          std::string_view relay_domain) {
  const auto subdomain = relay_subdomain(request.header("Host").value_or(""), relay_domain);
  if (!subdomain) co_return nullptr;
  std::shared_ptr<const store::Relay> relay = co_await directory.by_subdomain(*subdomain);
  if (!relay || !serves_clients(*relay)) co_return nullptr;
  co_return relay;
}

}  // namespace marina::relay_query
