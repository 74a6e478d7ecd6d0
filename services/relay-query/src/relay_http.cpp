#include "relay_http.hpp"

#include "host_routing.hpp"
#include "marina/core/ascii.hpp"
#include "marina/http/error.hpp"
#include "marina/http/router.hpp"
#include "relay_document.hpp"

namespace marina::relay_query {

namespace {

// Where the human page sends a curious reader.
constexpr const char* kSoftwareUrl = "https://marina.dev";

void append_html_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
}

}  // namespace

void add_cors_headers(http::Response& response) {
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Headers", "*, Accept, Content-Type, Authorization");
  response.headers.set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
}

bool wants_relay_document(const http::Request& request) {
  for (auto accept : request.headers.get_all("Accept"))
    if (core::ascii_lower(accept).find("application/nostr+json") != std::string::npos) return true;
  return false;
}

std::string relay_page(const store::Relay& relay, const std::string& relay_url) {
  const relay::RelayConfig& config = *relay.config;  // never null from the directory
  const std::string& name = config.relay_name.empty() ? relay.subdomain : config.relay_name;
  std::string page = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>";
  append_html_escaped(page, name);
  page += "</title></head>\n<body>\n<h1>";
  append_html_escaped(page, name);
  page += "</h1>\n";
  if (!config.relay_description.empty()) {
    page += "<p>";
    append_html_escaped(page, config.relay_description);
    page += "</p>\n";
  }
  page += "<p>This is a Nostr relay. Connect your Nostr client to <code>";
  append_html_escaped(page, relay_url);
  page += "</code>.</p>\n";
  if (relay.status == store::RelayStatus::suspended) page += "<p>This relay is suspended: it serves reads only.</p>\n";
  page += "<p>Hosted by <a href=\"";
  page += kSoftwareUrl;
  page += "\">Marina</a>.</p>\n</body></html>\n";
  return page;
}

http::Response relay_not_found() {
  http::Response r = http::problem(404, "relay-not-found", "Relay not found", "No relay is served at this address.");
  add_cors_headers(r);
  return r;
}

boost::asio::awaitable<http::Response> serve_relay_root(RelayHttpContext& context, http::Request& request) {
  auto relay = co_await serving_relay(context.directory, request, context.settings.relay.relay_domain);
  if (!relay) co_return relay_not_found();
  http::Response response;
  if (wants_relay_document(request)) {
    response = http::Response::with_body(200, "application/nostr+json", relay_document(*relay, context.settings.relay));
  } else {
    response = http::Response::with_body(200, "text/html; charset=utf-8",
                                         relay_page(*relay, context.settings.relay.relay_url(relay->subdomain)));
  }
  // The answer depends on Accept: caches must keep both versions apart.
  response.headers.set("Vary", "Accept");
  add_cors_headers(response);
  co_return response;
}

boost::asio::awaitable<http::Response> serve_preflight(RelayHttpContext& context, http::Request& request) {
  auto relay = co_await serving_relay(context.directory, request, context.settings.relay.relay_domain);
  if (!relay) co_return relay_not_found();
  http::Response response = http::Response::empty(204);
  add_cors_headers(response);
  response.headers.set("Access-Control-Max-Age", "86400");
  co_return response;
}

void add_relay_routes(http::Router& router, RelayHttpContext& context) {
  router.get("/", [&context](http::Request& req) { return serve_relay_root(context, req); });
  router.add("OPTIONS", "/", [&context](http::Request& req) { return serve_preflight(context, req); });
}

}  // namespace marina::relay_query
