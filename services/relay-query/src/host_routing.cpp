#include "host_routing.hpp"

#include "marina/http/request.hpp"
#include "marina/relay/host.hpp"
#include "marina/store/serving.hpp"
#include "marina/store/relay_directory.hpp"

namespace marina::relay_query {

boost::asio::awaitable<std::shared_ptr<const store::Relay>> serving_relay(store::RelayDirectory& directory,
                                                                          const http::Request& request,
                                                                          std::string_view relay_domain) {
  const auto subdomain = relay::subdomain_of(request.header("Host").value_or(""), relay_domain);
  if (!subdomain) co_return nullptr;
  std::shared_ptr<const store::Relay> relay = co_await directory.by_subdomain(*subdomain);
  if (!relay || !store::serves_clients(*relay)) co_return nullptr;
  co_return relay;
}

}  // namespace marina::relay_query
