#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "marina/http/error.hpp"
#include "marina/http/json.hpp"
#include "marina/http/router.hpp"

namespace marina::http {
namespace {

namespace asio = boost::asio;
using asio::awaitable;

Response run(const Router& router, Request& req) {
  asio::io_context io;
  auto f = asio::co_spawn(io, router.dispatch(req), asio::use_future);
  io.run();
  return f.get();
}

Response run(const Router& router, const std::string& method, const std::string& target) {
  Request req = Request::make(method, target);
  return run(router, req);
}

// A handler that answers with the route and parameters it saw.
Handler echo_params(std::string tag) {
  return [tag](Request& req) -> awaitable<Response> {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : req.path_params) params[k] = v;
    co_return json_response({{"tag", tag}, {"route", req.route}, {"params", params}});
  };
}

nlohmann::json body_of(const Response& r) { return nlohmann::json::parse(r.body); }

TEST(Router, MatchesLiteralsAndDecodesParameters) {
  Router r;
  r.get("/", echo_params("root"));
  r.get("/tenant/relays/:id", echo_params("relay"));
  r.get("/tenant/relays/:id/keys/:key", echo_params("key"));

  auto res = run(r, "GET", "/tenant/relays/a%20b%2Fc?x=1");
  EXPECT_EQ(res.status, 200);
  auto b = body_of(res);
  EXPECT_EQ(b["tag"], "relay");
  EXPECT_EQ(b["route"], "/tenant/relays/:id");
  EXPECT_EQ(b["params"]["id"], "a b/c");  // %2F stays inside the segment

  b = body_of(run(r, "GET", "/tenant/relays/7/keys/k1"));
  EXPECT_EQ(b["tag"], "key");
  EXPECT_EQ(b["params"]["id"], "7");
  EXPECT_EQ(b["params"]["key"], "k1");

  EXPECT_EQ(body_of(run(r, "GET", "/"))["tag"], "root");
  // An empty segment is not a parameter value; a trailing slash is another path.
  EXPECT_EQ(run(r, "GET", "/tenant/relays/").status, 404);
  EXPECT_EQ(run(r, "GET", "/tenant/relays/7/").status, 404);
}

TEST(Router, LiteralSegmentsWinWhateverTheOrder) {
  Router r;
  r.get("/relays/:id", echo_params("param"));
  r.get("/relays/new", echo_params("literal"));
  r.get("/:a/stats", echo_params("late-literal"));
  r.get("/relays/:id/stats", echo_params("early-literal"));
  EXPECT_EQ(body_of(run(r, "GET", "/relays/new"))["tag"], "literal");
  EXPECT_EQ(body_of(run(r, "GET", "/relays/9"))["tag"], "param");
  EXPECT_EQ(body_of(run(r, "GET", "/relays/9/stats"))["tag"], "early-literal");
  EXPECT_EQ(body_of(run(r, "GET", "/other/stats"))["tag"], "late-literal");
}

TEST(Router, UnknownPathIs404Problem) {
  Router r;
  r.get("/a", echo_params("a"));
  auto res = run(r, "GET", "/nope");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.headers.get("content-type"), "application/problem+json");
  auto b = body_of(res);
  EXPECT_EQ(b["status"], 404);
  EXPECT_EQ(b["code"], "not-found");
  EXPECT_EQ(b["type"], "https://marina.dev/problems/not-found");
  EXPECT_TRUE(b.contains("title"));
  EXPECT_TRUE(b.contains("detail"));
}

TEST(Router, KnownPathWrongMethodIs405WithAllow) {
  Router r;
  r.get("/tenant/relays/:id", echo_params("get"));
  r.del("/tenant/relays/:id", echo_params("del"));
  r.put("/tenant/relays/:id", echo_params("put"));
  r.post("/tenant/relays", echo_params("create"));
  auto res = run(r, "POST", "/tenant/relays/7");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.get("Allow"), "DELETE, GET, HEAD, PUT");
  EXPECT_EQ(body_of(res)["code"], "method-not-allowed");
  EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json");
}

TEST(Router, HeadIsServedByGet) {
  Router r;
  r.get("/x", echo_params("get"));
  auto res = run(r, "HEAD", "/x");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(body_of(res)["tag"], "get");
}

TEST(Router, HandlerExceptionIs500WithoutDetails) {
  Router r;
  r.get("/boom", [](Request&) -> awaitable<Response> {
    throw std::runtime_error("password=hunter2 at db.internal:5432");
    co_return Response::text("unreachable");
  });
  auto res = run(r, "GET", "/boom");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(body_of(res)["code"], "internal-error");
  EXPECT_EQ(res.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(res.body.find("db.internal"), std::string::npos);
}

TEST(Router, HttpErrorBecomesItsProblem) {
  Router r;
  r.get("/relays/:id", [](Request& req) -> awaitable<Response> {
    throw Error(404, "relay-not-found", "Relay not found", "No relay with id " + std::string(req.param("id")) + ".");
    co_return Response::text("unreachable");
  });
  r.post("/json", [](Request& req) -> awaitable<Response> {
    auto body = parse_json(req);
    co_return json_response({{"got", body}}, 201);
  });
  auto res = run(r, "GET", "/relays/42");
  EXPECT_EQ(res.status, 404);
  auto b = body_of(res);
  EXPECT_EQ(b, (nlohmann::json{{"type", "https://marina.dev/problems/relay-not-found"},
                               {"title", "Relay not found"},
                               {"status", 404},
                               {"detail", "No relay with id 42."},
                               {"code", "relay-not-found"}}));

  Request bad = Request::make("POST", "/json");
  bad.body = "{not json";
  res = run(r, bad);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(body_of(res)["code"], "invalid-json");

  Request good = Request::make("POST", "/json");
  good.body = R"({"a":[1,2]})";
  res = run(r, good);
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.headers.get("content-type"), "application/json");
  EXPECT_EQ(body_of(res)["got"]["a"][1], 2);
}

TEST(Router, AGuardAnswersForEveryPathUnderItsPrefixBeforeRouting) {
  Router r;
  r.get("/admin/tenants", echo_params("tenants"));
  r.get("/adminx", echo_params("adminx"));
  r.get("/open", echo_params("open"));
  int checked = 0;
  r.guard("/admin", [&checked](const Request& req) {
    ++checked;
    if (req.header("X-Role") != "admin") throw Error::forbidden("admins only", "admin-required");
  });
  for (const char* path : {"/admin", "/admin/tenants", "/admin/no/such/route"}) {
    for (const char* method : {"GET", "POST", "BREW"}) {
      auto res = run(r, method, path);
      EXPECT_EQ(res.status, 403) << method << " " << path << ": not 404 or 405";
      EXPECT_EQ(body_of(res)["code"], "admin-required");
    }
  }
  EXPECT_EQ(run(r, "GET", "/adminx").status, 200) << "whole segments only";
  EXPECT_EQ(run(r, "GET", "/open").status, 200);
  Request admin = Request::make("GET", "/admin/tenants");
  admin.headers.set("X-Role", "admin");
  EXPECT_EQ(body_of(run(r, admin))["tag"], "tenants");
  Request admin_unknown = Request::make("GET", "/admin/nothing");
  admin_unknown.headers.set("X-Role", "admin");
  EXPECT_EQ(run(r, admin_unknown).status, 404) << "past the guard, routing as usual";
  EXPECT_EQ(checked, 11);
  EXPECT_THROW(r.guard("admin", [](const Request&) {}), std::invalid_argument);
}

// Decoded path and query parameters follow the same text rule as JSON bodies.
TEST(Router, ControlCharactersInParametersAreRefused) {
  Router r;
  r.get("/relays/:id", echo_params("relay"));
  const std::string rule = "; text may contain no control characters but tab, line feed and carriage return.";
  auto res = run(r, "GET", "/relays/a%00b");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(body_of(res)["code"], "invalid-text");
  EXPECT_EQ(body_of(res)["detail"], "The text at the path parameter \"id\" contains the control character U+0000" + rule);
  res = run(r, "GET", "/relays/7?status=active%07");
  EXPECT_EQ(body_of(res)["detail"],
            "The text at the query parameter \"status\" contains the control character U+0007" + rule);
  EXPECT_EQ(run(r, "GET", "/relays/7?cursor=%C2%85").status, 400) << "a C1 control";
  EXPECT_EQ(run(r, "GET", "/relays/caf%C3%A9?q=a+b%09c").status, 200) << "other text, and tab, pass";
}

TEST(Router, RoutesMayHaveTheirOwnBodyLimit) {
  Router r;
  r.post("/relays/:id/import", echo_params("import"));
  r.post("/relays", echo_params("create"));
  r.get("/relays/:id/import", echo_params("status"));
  r.body_limit("POST", "/relays/:id/import", 16 << 20);
  const BodyLimits limits = r.body_limits();
  EXPECT_EQ(limits("POST", "/relays/7/import"), std::optional<std::size_t>(16 << 20));
  EXPECT_EQ(limits("GET", "/relays/7/import"), std::nullopt) << "another method, the server's limit";
  EXPECT_EQ(limits("POST", "/relays"), std::nullopt);
  EXPECT_EQ(limits("POST", "/nowhere"), std::nullopt);
  EXPECT_THROW(r.body_limit("PUT", "/relays", 1), std::invalid_argument);
}

TEST(Router, MissingParamIsAProgrammingError) {
  Router r;
  r.get("/a/:id", [](Request& req) -> awaitable<Response> { co_return Response::text(std::string(req.param("nope"))); });
  EXPECT_EQ(run(r, "GET", "/a/1").status, 500);
}

TEST(Router, RejectsBadPatterns) {
  Router r;
  auto h = echo_params("x");
  EXPECT_THROW(r.get("relative", h), std::invalid_argument);
  EXPECT_THROW(r.get("/a/:", h), std::invalid_argument);
  EXPECT_THROW(r.get("/a/:id/:id", h), std::invalid_argument);
  EXPECT_THROW(r.get("/a/:id", Handler{}), std::invalid_argument);
  r.get("/a/:id", h);
  EXPECT_THROW(r.get("/a/:other", h), std::invalid_argument);  // same shape, same method
  EXPECT_NO_THROW(r.post("/a/:other", h));
}

TEST(Router, ToHandlerIsASnapshot) {
  Router r;
  r.get("/a", echo_params("a"));
  Handler h = r.to_handler();
  r.get("/b", echo_params("b"));
  asio::io_context io;
  Request req = Request::make("GET", "/b");
  auto f = asio::co_spawn(io, h(req), asio::use_future);
  io.run();
  EXPECT_EQ(f.get().status, 404);
}

TEST(Request, QueryParametersAreDecoded) {
  Request req = Request::make("GET", "/p?a=1&b=x%20y+z&flag&&c=%zz&a=2");
  EXPECT_EQ(req.path, "/p");
  EXPECT_EQ(req.query_string, "a=1&b=x%20y+z&flag&&c=%zz&a=2");
  EXPECT_EQ(req.query("a"), "1");
  EXPECT_EQ(req.query("b"), "x y z");
  EXPECT_EQ(req.query("flag"), "");
  EXPECT_EQ(req.query("c"), "%zz");
  EXPECT_FALSE(req.query("missing").has_value());
  EXPECT_EQ(req.query_params.size(), 5u);
}

TEST(Headers, NamesAreCaseInsensitive) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  h.set("Content-Type", "text/plain");
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");
  EXPECT_EQ(h.get_all("Set-Cookie").size(), 2u);
  h.set("content-type", "application/json");
  EXPECT_EQ(h.get_all("CONTENT-TYPE"), (std::vector<std::string_view>{"application/json"}));
  h.remove("SET-cookie");
  EXPECT_FALSE(h.contains("set-cookie"));
}

TEST(Problem, OmitsEmptyDetailAndDefaultsTitle) {
  auto res = problem(503, "not-ready");
  auto b = body_of(res);
  EXPECT_EQ(b["title"], "Service Unavailable");
  EXPECT_FALSE(b.contains("detail"));
  EXPECT_EQ(b["code"], "not-ready");
}

}  // namespace
}  // namespace marina::http
