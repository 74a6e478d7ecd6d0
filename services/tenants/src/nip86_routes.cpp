// POST /nip86: the NIP-86 relay management API. Clients POST to a relay's
// URL with Content-Type application/nostr+json+rpc; the ingress sends those
// requests here (scripts/local/nginx.conf.in, the chart's relay Ingress)
// with the relay's Host, X-Forwarded-Proto and X-Original-URI kept.
#include "marina/http/json.hpp"
#include "marina/core/log.hpp"
#include "nip86.hpp"
#include "nip86_auth.hpp"
#include "routes.hpp"

namespace marina::tenants {

namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

constexpr std::string_view kContentType = "application/nostr+json+rpc";

Response answer(const nlohmann::json& body, int status = 200) {
  auto response = http::json_response(body, status);
  // NIP-86 clients are often web pages on another origin.
  response.headers.set("Access-Control-Allow-Origin", "*");
  return response;
}

Response refusal(int status, const std::string& message) {
  auto response = answer({{"result", nullptr}, {"error", message}}, status);
  if (status == 401) response.headers.set("WWW-Authenticate", "Nostr");
  return response;
}

}  // namespace

void add_nip86_routes(http::Router& router, Nip86Auth& auth, Nip86& nip86) {
  router.post("/nip86", [a = &auth, n = &nip86](Request& req) -> asio::awaitable<Response> {
    const std::string type(req.header("Content-Type").value_or(""));
    if (!type.starts_with(kContentType))
      co_return refusal(415, "Content-Type must be " + std::string(kContentType));
    std::optional<Nip86Caller> caller;
    int status = 0;
    std::string message;
    try {
      caller = co_await a->authenticate(req);
    } catch (const Nip86Refusal& e) {
      status = e.status();
      message = e.what();
    }
    if (!caller) co_return refusal(status, message);
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) co_return refusal(400, "the body is not JSON");
    nlohmann::json out = co_await n->call(caller->actor, caller->relay, body);
    log::info("nip86", {{"relay_id", caller->relay.id},
                        {"admin", caller->actor.pubkey},
                        {"method", body.is_object() && body.contains("method") && body["method"].is_string()
                                       ? body["method"].get<std::string>()
                                       : std::string()},
                        {"outcome", out.contains("error") ? "error" : "ok"}});
    co_return answer(out);
  });
}

}  // namespace marina::tenants
