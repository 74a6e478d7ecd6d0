#pragma once
// The plain HTTP side of a relay host: the NIP-11 document (GET with
// Accept: application/nostr+json), the CORS preflight, and a short human page
// for other GETs. An unknown or inactive relay is a 404 problem.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "marina/http/request.hpp"
#include "marina/http/response.hpp"
#include "marina/relay_query/query_settings.hpp"
#include "marina/store/relay.hpp"

namespace marina::http { class Router; }
namespace marina::store { class RelayDirectory; }

namespace marina::relay_query {

struct RelayHttpContext {
  store::RelayDirectory& directory;
  const QuerySettings& settings;
};

// Registers GET / and OPTIONS / on `router`.
void add_relay_routes(http::Router& router, RelayHttpContext& context);

boost::asio::awaitable<http::Response> serve_relay_root(RelayHttpContext& context, http::Request& request);
boost::asio::awaitable<http::Response> serve_preflight(RelayHttpContext& context, http::Request& request);

// NIP-11: browsers must be able to read the document from any origin.
void add_cors_headers(http::Response& response);
// The request's Accept header asks for the NIP-11 document.
bool wants_relay_document(const http::Request& request);
// The page a browser gets: the relay's configured name and description and
// its ws URL. `relay.config` must not be null.
std::string relay_page(const store::Relay& relay, const std::string& relay_url);
// 404 problem for a host that names no serving relay.
http::Response relay_not_found();

}  // namespace marina::relay_query
