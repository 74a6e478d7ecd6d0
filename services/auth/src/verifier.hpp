#pragma once
// GET /verify: the ingress's forward-auth endpoint.
//
// Answers, for the request described by the ingress's headers (see
// original_request.hpp):
//   200  X-Auth-Pubkey, X-Auth-Role (admin|tenant), X-Auth-Payload (when the
//        token has a payload tag) and X-Auth-Passport (passport::Signer, bound
//        to the original method and URI); the ingress forwards them upstream.
//   401  problem JSON whose `code` is the Reason, WWW-Authenticate: Nostr and
//        X-Auth-Error: <code> (nginx cannot pass a subrequest's body, so it
//        rebuilds the problem from that header).
//   403  rate-limited: a bad token while its address or its claimed pubkey
//        is over this minute's failure budget, with Retry-After and
//        X-Auth-Error: rate-limited (auth_request passes only 2xx, 401 and
//        403; the local ingress turns it into a 429 problem).
//   503  auth-unavailable: Redis could not tell whether a mutating request's
//        token was already used, so it is refused rather than risk a replay.
//   500  ingress-misconfigured: the subrequest lacks the original request.
//
// Order: the token's claim (whose it says it is, no signature work) and the
// failure budget of its address and pubkey (failure_limiter.hpp); over the
// budget, a token that cannot be valid is refused at once; then the token
// (token_check.hpp), then for POST/PUT/PATCH/DELETE one use per token
// (replay_guard.hpp). A valid fresh token is accepted whatever the budget
// says. The client address is http::client_address (TRUSTED_PROXIES).
// Nothing of the token or the passport is ever logged.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "failure_limiter.hpp"
#include "marina/http/client_address.hpp"
#include "marina/http/request.hpp"
#include "marina/http/response.hpp"
#include "marina/http/router.hpp"
#include "marina/passport/passport.hpp"
#include "probe.hpp"
#include "replay_guard.hpp"
#include "settings.hpp"
#include "token_check.hpp"

namespace marina::redis {
class Client;
}
namespace marina::metrics {
class Registry;
}

namespace marina::auth {

class Verifier {
 public:
  using Clock = std::function<std::int64_t()>;  // unix seconds

  // `redis` and `registry` must outlive the Verifier.
  Verifier(const Settings& settings, redis::Client& redis, metrics::Registry& registry, Clock now = {});

  boost::asio::awaitable<http::Response> verify(const http::Request& request);

 private:
  http::Response accepted(const Token& token, const OriginalRequest& original, std::int64_t now) const;
  boost::asio::awaitable<void> count_failure(const FailureSubject& subject, std::int64_t now);

  TokenRules rules_;
  AdminKeys admins_;
  passport::Signer signer_;
  ReplayGuard replay_;
  FailureLimiter limiter_;
  http::TrustedProxies trusted_;
  Probe probe_;
  Clock now_;
};

// Adds GET /verify to `router`, sharing ownership of `verifier` with it.
void add_verify_route(http::Router& router, std::shared_ptr<Verifier> verifier);

}  // namespace marina::auth
