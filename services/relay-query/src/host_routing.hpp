#pragma once
// Which hosted relay a request is for: the Host header names it,
// `<subdomain>.<RELAY_DOMAIN>`, case-insensitive, port ignored.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "marina/store/relay.hpp"

namespace marina::http { struct Request; }
namespace marina::store { class RelayDirectory; }

namespace marina::relay_query {

// The lower-case subdomain named by a Host header value, or nullopt when the
// host is not directly under `relay_domain`.
std::optional<std::string> relay_subdomain(std::string_view host, std::string_view relay_domain);

// The relay a request is for, when it exists and serves clients (active or
// suspended: a suspended relay still serves reads). nullptr for an unknown
// host and for an inactive relay: both answer 404.
boost::asio::awaitable<std::shared_ptr<const store::Relay>> serving_relay(store::RelayDirectory& directory,
                                                                          const http::Request& request,
                                                                          std::string_view relay_domain);

// True when a relay in this state serves clients.
bool serves_clients(const store::Relay& relay) noexcept;

}  // namespace marina::relay_query
