#include "marina/http/router.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include "marina/core/log.hpp"
#include "marina/core/percent_decode.hpp"
#include "marina/http/error.hpp"
#include "marina/http/url.hpp"
#include "text_rule.hpp"

namespace marina::http {

namespace {

struct Segment {
  bool is_param;
  std::string text;  // literal text, or the parameter's name
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<Segment> segments;
  Handler handler;
  std::optional<std::size_t> max_body_bytes;  // the server's limit when unset
};

struct Guard {
  std::vector<std::string> prefix;  // segments
  RequestGuard check;
};

// "/a/b" -> {"a","b"}; "/" -> {""}; "/a/" -> {"a",""}. Empty for paths that do not start with '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool matches(const Route& r, const std::vector<std::string_view>& segs) {
  if (r.segments.size() != segs.size()) return false;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& s = r.segments[i];
    if (s.is_param ? segs[i].empty() : s.text != segs[i]) return false;
  }
  return true;
}

// True when `a` is more specific than `b`: at the first segment where one has a
// literal and the other a parameter, the literal wins.
bool more_specific(const Route& a, const Route* b) {
  if (b == nullptr) return true;
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].is_param != b->segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

// True when `segs` is the guard's prefix or lies under it.
bool covers(const Guard& g, const std::vector<std::string_view>& segs) {
  if (segs.size() < g.prefix.size()) return false;
  return std::equal(g.prefix.begin(), g.prefix.end(), segs.begin());
}

// What a request's method and path resolve to.
struct Selection {
  const Route* route = nullptr;  // nullptr: nothing for this method
  std::set<std::string> allowed;  // every method some route offers for the path
};

Selection select(const std::vector<Route>& routes, std::string_view method, const std::vector<std::string_view>& segs) {
  Selection out;
  const Route* best_get = nullptr;  // serves HEAD when no HEAD route matches
  for (const auto& r : routes) {
    if (!matches(r, segs)) continue;
    out.allowed.insert(r.method);
    if (r.method == method && more_specific(r, out.route)) out.route = &r;
    if (method == "HEAD" && r.method == "GET" && more_specific(r, best_get)) best_get = &r;
  }
  if (out.route == nullptr) out.route = best_get;
  return out;
}

}  // namespace

struct Router::Impl {
  std::vector<Route> routes;
  std::vector<Guard> guards;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;
Router::Router(const Router& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Router& Router::operator=(const Router& other) {
  impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}

Router& Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern '" + std::string(pattern) + "' must start with '/'");
  }
  if (method.empty()) throw std::invalid_argument("route " + std::string(pattern) + " needs a method");
  if (!handler) throw std::invalid_argument("route " + std::string(pattern) + " needs a handler");
  Route r{std::string(method), std::string(pattern), {}, std::move(handler)};
  std::set<std::string_view> names;
  for (auto seg : split_path(pattern)) {
    if (!seg.empty() && seg.front() == ':') {
      auto name = seg.substr(1);
      if (name.empty() || !names.insert(name).second) {
        throw std::invalid_argument("route " + r.pattern + ": empty or repeated parameter name");
      }
      r.segments.push_back({true, std::string(name)});
    } else {
      r.segments.push_back({false, std::string(seg)});
    }
  }
  for (const auto& existing : impl_->routes) {
    bool same_shape = existing.method == r.method && existing.segments.size() == r.segments.size() &&
                      std::equal(existing.segments.begin(), existing.segments.end(), r.segments.begin(),
                                 [](const Segment& a, const Segment& b) {
                                   return a.is_param == b.is_param && (a.is_param || a.text == b.text);
                                 });
    if (same_shape) throw std::invalid_argument("route " + r.method + " " + r.pattern + " is already defined");
  }
  impl_->routes.push_back(std::move(r));
  return *this;
}

Router& Router::guard(std::string_view prefix, RequestGuard guard) {
  if (prefix.empty() || prefix.front() != '/') {
    throw std::invalid_argument("guard prefix '" + std::string(prefix) + "' must start with '/'");
  }
  if (!guard) throw std::invalid_argument("guard " + std::string(prefix) + " needs a check");
  Guard g{{}, std::move(guard)};
  for (auto seg : split_path(prefix)) g.prefix.emplace_back(seg);
  impl_->guards.push_back(std::move(g));
  return *this;
}

Router& Router::body_limit(std::string_view method, std::string_view pattern, std::size_t max_bytes) {
  for (auto& r : impl_->routes) {
    if (r.method == method && r.pattern == pattern) {
      r.max_body_bytes = max_bytes;
      return *this;
    }
  }
  throw std::invalid_argument("body_limit: no route " + std::string(method) + " " + std::string(pattern));
}

BodyLimits Router::body_limits() const {
  auto routes = std::make_shared<const std::vector<Route>>(impl_->routes);
  return [routes](std::string_view method, std::string_view path) -> std::optional<std::size_t> {
    const Route* r = select(*routes, method, split_path(path)).route;
    return r == nullptr ? std::nullopt : r->max_body_bytes;
  };
}

boost::asio::awaitable<Response> Router::dispatch(Request& req) const {
  auto segs = split_path(req.path);
  for (const auto& g : impl_->guards) {
    if (!covers(g, segs)) continue;
    try {
      g.check(req);
    } catch (const Error& e) {
      co_return problem(e);
    } catch (const std::exception& e) {
      log::error("request guard failed", {{"method", req.method}, {"path", req.path}, {"error", e.what()}});
      co_return problem(500, "internal-error", "Internal server error");
    }
  }
  auto [best, allowed] = select(impl_->routes, req.method, segs);
  if (best == nullptr) {
    if (allowed.empty()) {
      co_return problem(404, "not-found", "Not found", "There is nothing at " + req.path + ".");
    }
    if (allowed.contains("GET")) allowed.insert("HEAD");
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    Response res = problem(405, "method-not-allowed", "Method not allowed",
                           req.method + " is not allowed on " + req.path + "; allowed: " + allow + ".");
    res.headers.set("Allow", allow);
    co_return res;
  }
  req.route = best->pattern;
  req.path_params.clear();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (best->segments[i].is_param) req.path_params.emplace_back(best->segments[i].text, core::percent_decode(segs[i]));
  }
  // Decoded parameters are text like any other (text_rule.hpp).
  for (const auto& [name, value] : req.path_params) {
    if (auto c = detail::refused_control(value)) co_return problem(detail::invalid_text("the path parameter \"" + name + "\"", *c));
  }
  for (const auto& [name, value] : req.query_params) {
    if (auto c = detail::refused_control(name + value))
      co_return problem(detail::invalid_text("the query parameter \"" + name + "\"", *c));
  }
  co_return co_await call_handler(best->handler, req);
}

Handler Router::to_handler() const {
  auto snapshot = std::make_shared<const Router>(*this);
  return [snapshot](Request& req) { return snapshot->dispatch(req); };
}

boost::asio::awaitable<Response> call_handler(const Handler& handler, Request& req) {
  try {
    co_return co_await handler(req);
  } catch (const Error& e) {
    co_return problem(e);
  } catch (const boost::system::system_error& e) {
    if (e.code() == boost::asio::error::operation_aborted) {
      // The server is being stopped and the deadline passed: expected, not a bug.
      log::warn("handler cancelled", {{"method", req.method}, {"path", req.path}});
    } else {
      log::error("handler failed", {{"method", req.method}, {"path", req.path}, {"route", req.route},
                                    {"error", e.what()}});
    }
  } catch (const std::exception& e) {
    log::error("handler failed",
               {{"method", req.method}, {"path", req.path}, {"route", req.route}, {"error", e.what()}});
  } catch (...) {
    log::error("handler failed", {{"method", req.method}, {"path", req.path}, {"route", req.route}});
  }
  co_return problem(500, "internal-error", "Internal server error");
}

}  // namespace marina::http
