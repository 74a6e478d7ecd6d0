#include "marina/core/clock.hpp"
#include "verifier.hpp"

#include <chrono>

#include "marina/http/client_address.hpp"
#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "marina/passport/headers.hpp"
#include "marina/passport/request_check.hpp"
#include "marina/redis/errors.hpp"
#include "original_request.hpp"

namespace marina::auth {

namespace {

constexpr std::string_view kErrorHeader = "X-Auth-Error";

http::Response refusal(Reason reason) {
  auto r = http::problem(401, code(reason), "Unauthorized", describe(reason));
  r.headers.set("WWW-Authenticate", "Nostr");
  r.headers.set(std::string(kErrorHeader), std::string(code(reason)));
  return r;
}

http::Response rate_limited(std::chrono::seconds retry_after) {
  auto r = http::problem(403, code(Reason::rate_limited), "Too Many Requests", describe(Reason::rate_limited));
  r.headers.set(std::string(kErrorHeader), std::string(code(Reason::rate_limited)));
  r.headers.set("Retry-After", std::to_string(retry_after.count()));
  return r;
}

http::Response unavailable() {
  auto r = http::problem(503, "auth-unavailable", "Service Unavailable",
                         "cannot check this token for replay right now; retry with a new token");
  r.headers.set(std::string(kErrorHeader), "auth-unavailable");
  r.headers.set("Retry-After", "1");
  return r;
}

class Stopwatch {
 public:
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

Verifier::Verifier(const Settings& settings, redis::Client& redis, metrics::Registry& registry, Clock now)
    : rules_{.window = settings.window, .max_header_bytes = settings.max_header_bytes},
      admins_(settings.admins),
      signer_(settings.passport_secret, settings.passport_lifetime),
      replay_(redis),
      limiter_(redis, settings.failures_per_minute),
      trusted_(settings.trusted_proxies),
      probe_(registry),
      now_(now ? std::move(now) : Clock(core::unix_seconds)) {}

boost::asio::awaitable<http::Response> Verifier::verify(const http::Request& request) {
  const Stopwatch watch;
  const std::int64_t now = now_();

  auto original = original_request(request);
  if (!original) {
    // Every request would fail the same way: loud, and not the client's fault.
    log::error("auth subrequest without the original request; check the ingress configuration",
               {{"problem", original.error()}});
    co_return http::problem(500, "ingress-misconfigured", "Internal Server Error", original.error());
  }
  const std::string client = http::client_address(request.headers, request.remote_address, trusted_);
  const auto authorization_headers = request.headers.get_all("Authorization");
  const std::optional<std::string_view> authorization =
      authorization_headers.size() == 1 ? std::optional<std::string_view>(authorization_headers.front())
                                        : std::nullopt;
  // Whose the token claims to be, read without the signature: the failures
  // it causes count against that pubkey as well as the address.
  const TokenClaim claim = authorization_headers.size() > 1 ? TokenClaim{}
                                                             : claim_of(authorization, *original, now, rules_);
  const FailureSubject subject{client, claim.pubkey};

  std::optional<std::chrono::seconds> retry_after;
  try {
    retry_after = co_await limiter_.over_budget(subject, now);
  } catch (const redis::Error& e) {
    // Rate limiting protects capacity, not identity: without Redis, keep
    // authenticating rather than lock everyone out.
    probe_.backend_error("rate-limit-check");
    log::warn("failure rate limit not checked: Redis unavailable", {{"error", e.what()}});
  }
  // Over the budget, a token that cannot be valid is refused before any
  // signature work; one that may be valid is checked as usual, and passes
  // if it is: a valid fresh token is never refused for its neighbours' sins.
  if (retry_after && !claim.plausible) {
    probe_.refused(Reason::rate_limited, watch.seconds());
    co_return rate_limited(*retry_after);
  }

  auto token = authorization_headers.size() > 1 ? nostr::Result<Token, Reason>(nostr::err(Reason::bad_scheme))
                                                 : check_token(authorization, *original, now, rules_);

  if (token && is_mutating(original->method)) {
    // Remembered until the token would fail the time check anyway.
    const auto ttl = std::chrono::seconds(token->created_at + rules_.window.count() - now + 1);
    bool redis_failed = false;
    bool fresh = false;
    try {
      fresh = co_await replay_.first_use(token->signature, ttl);
    } catch (const redis::Error& e) {
      redis_failed = true;
      probe_.backend_error("replay");
      log::warn("replay check failed: Redis unavailable", {{"error", e.what()}});
    }
    if (redis_failed) {
      probe_.unavailable(watch.seconds());
      co_return unavailable();
    }
    if (!fresh) token = nostr::err(Reason::replayed);
  }

  if (!token) {
    const Reason reason = token.error();
    if (retry_after) {
      probe_.refused(Reason::rate_limited, watch.seconds());
      co_return rate_limited(*retry_after);
    }
    co_await count_failure(subject, now);
    log::debug("verification refused", {{"reason", code(reason)}, {"client", client}, {"method", original->method}});
    probe_.refused(reason, watch.seconds());
    co_return refusal(reason);
  }
  auto response = accepted(*token, *original, now);
  probe_.verified(watch.seconds());
  co_return response;
}

http::Response Verifier::accepted(const Token& token, const OriginalRequest& original, std::int64_t now) const {
  passport::Identity id{.pubkey = token.pubkey.hex(),
                        .role = admins_.contains(token.pubkey) ? passport::Role::admin : passport::Role::tenant,
                        .payload_sha256 = token.payload_sha256};
  auto r = http::Response::empty(200);
  r.headers.set(std::string(passport::kPubkeyHeader), id.pubkey);
  r.headers.set(std::string(passport::kRoleHeader), std::string(passport::to_string(id.role)));
  if (id.payload_sha256) r.headers.set(std::string(passport::kPayloadHeader), *id.payload_sha256);
  r.headers.set(std::string(passport::kPassportHeader), signer_.issue(id, original.method, original.uri, now));
  r.headers.set("Cache-Control", "no-store");
  return r;
}

boost::asio::awaitable<void> Verifier::count_failure(const FailureSubject& subject, std::int64_t now) {
  std::int64_t failures = 0;
  try {
    failures = co_await limiter_.record_failure(subject, now);
  } catch (const redis::Error& e) {
    probe_.backend_error("rate-limit-count");
    log::debug("failure not counted: Redis unavailable", {{"error", e.what()}});
  }
  // Once per address (or pubkey) and minute, when it crosses the limit.
  if (failures == limiter_.limit()) {
    log::info("bad tokens rate-limited for the rest of the minute",
              {{"client", subject.address}, {"pubkey", subject.pubkey.value_or("")}, {"failures", failures}});
  }
}

void add_verify_route(http::Router& router, std::shared_ptr<Verifier> verifier) {
  router.get("/verify", [verifier](http::Request& req) -> boost::asio::awaitable<http::Response> {
    co_return co_await verifier->verify(req);
  });
}

}  // namespace marina::auth
