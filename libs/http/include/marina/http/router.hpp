#pragma once
// Method + path pattern -> handler.
//
//   http::Router router;
//   router.get("/tenant/relays/:id", [&](http::Request& req) -> asio::awaitable<http::Response> {
//     co_return http::json_response(load_relay(req.param("id")));
//   });
//
// Patterns are literal segments and `:name` parameters, matched segment by
// segment against the percent-encoded path; parameter values are decoded. When
// several patterns match, the one with a literal earliest wins, whatever the
// registration order (`/relays/new` beats `/relays/:id`). A path no pattern
// matches is a 404 problem; a path that matches only with other methods is a 405
// problem with an `Allow` header. HEAD is served by the GET handler unless a HEAD
// route exists (the server drops the body). A decoded path or query parameter
// with a control character (other than tab, LF, CR) is a 400 invalid-text
// problem before the handler runs: the same text rule as parse_json's.
//
// A guard runs before any matching for every path at or under its prefix
// (whole segments: "/admin" covers "/admin" and "/admin/x", not "/adminx"),
// so a refusal there (an http::Error it throws) is the answer whatever the
// method or path, and a caller it refuses cannot tell routes that exist from
// routes that do not.
//
// A route may take a larger (or smaller) body than the server's
// max_body_bytes: body_limit(method, pattern, bytes); body_limits() gives the
// server the lookup (ServerOptions::body_limits).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "marina/http/handler.hpp"
#include "marina/http/limits.hpp"

namespace marina::http {

// Throws http::Error to refuse the request.
using RequestGuard = std::function<void(const Request&)>;

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&);
  Router& operator=(const Router&);

  // Throws std::invalid_argument for a pattern that does not start with '/',
  // an empty or repeated parameter name, or a method+pattern already added.
  Router& add(std::string_view method, std::string_view pattern, Handler handler);
  Router& get(std::string_view pattern, Handler h) { return add("GET", pattern, std::move(h)); }
  Router& post(std::string_view pattern, Handler h) { return add("POST", pattern, std::move(h)); }
  Router& put(std::string_view pattern, Handler h) { return add("PUT", pattern, std::move(h)); }
  Router& patch(std::string_view pattern, Handler h) { return add("PATCH", pattern, std::move(h)); }
  Router& del(std::string_view pattern, Handler h) { return add("DELETE", pattern, std::move(h)); }

  // Runs `guard` first for every request at or under `prefix` (see above).
  // Throws std::invalid_argument for a prefix that does not start with '/'.
  Router& guard(std::string_view prefix, RequestGuard guard);

  // The route `method pattern` (added before) accepts bodies up to `max_bytes`.
  // Throws std::invalid_argument when there is no such route.
  Router& body_limit(std::string_view method, std::string_view pattern, std::size_t max_bytes);
  // For the server: the body limit of the route a request would be dispatched
  // to, when that route has one; on a snapshot of the routes.
  BodyLimits body_limits() const;

  // Finds the route, fills req.path_params and req.route, runs the handler and
  // turns what it throws into a problem response (never throws itself).
  boost::asio::awaitable<Response> dispatch(Request& req) const;

  // A Handler that dispatches on a snapshot of this router's routes.
  Handler to_handler() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `handler`, turning http::Error into its problem and any other exception
// into a logged 500 "internal-error" problem. What Router::dispatch and the
// Server use, public so other wrappers (middleware) behave the same.
boost::asio::awaitable<Response> call_handler(const Handler& handler, Request& req);

}  // namespace marina::http
