#pragma once
// Which hosted relay a request is for: the Host header names it,
// `<subdomain>.<RELAY_DOMAIN>` (relay::subdomain_of), and the relay must
// serve clients (store::serves_clients).
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string_view>

#include "marina/store/relay.hpp"

namespace marina::http { struct Request; }
namespace marina::store { class RelayDirectory; }

namespace marina::relay_query {

// The relay a request is for, when it exists and serves clients (active or
// suspended: a suspended relay still serves reads). nullptr for an unknown
// host and for an inactive relay: both answer 404.
boost::asio::awaitable<std::shared_ptr<const store::Relay>> serving_relay(store::RelayDirectory& directory,
                                                                          const http::Request& request,
                                                                          std::string_view relay_domain);

}  // namespace marina::relay_query
