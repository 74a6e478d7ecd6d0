#pragma once
// The passport check tenants and billing run on every authenticated request.
//
// The ingress asks auth to verify the request's NIP-98 token and forwards
// auth's X-Auth-Pubkey, X-Auth-Role, X-Auth-Payload and X-Auth-Passport
// headers (replacing whatever the client sent). The passport is the only one
// that counts: it is HMAC-signed, bound to this request's method and target,
// and short-lived, so a request that bypassed the ingress, forged the
// headers, or replays a passport against another route is refused. The
// plain X-Auth-* headers, when present, must agree with it.
//
//   passport::RequestCheck check(passport::Signer(secret));
//   router.get("/tenant/relays", [check](http::Request& req) -> asio::awaitable<http::Response> {
//     passport::Identity who = check.identify(req);   // throws a 401 problem
//     ...
//   });
//
// Failures are http::Error problems, so a handler just lets them propagate:
//   401 passport-missing | passport-malformed | passport-bad-signature | passport-expired
//   401 passport-mismatch   an X-Auth-* header disagrees with the passport
//   401 payload-missing     a non-empty body, but the token carried no payload hash
//   401 payload-mismatch    the body is not the one the token's payload hash names
//   403 admin-required      require_admin() on a tenant's passport
//
// A whole admin area is closed to non-admins before routing, so that every
// path under it (an unknown one too) answers a tenant 403, the same in every
// service:
//   router.guard("/admin", check.admin_guard());
#include <cstdint>
#include <functional>

#include "marina/core/clock.hpp"
#include "marina/http/request.hpp"
#include "marina/http/router.hpp"
#include "marina/passport/passport.hpp"

namespace marina::passport {

class RequestCheck {
 public:
  using Clock = std::function<std::int64_t()>;

  explicit RequestCheck(Signer signer, Clock now = core::unix_seconds);

  // The caller's identity, established by auth for this very request, with
  // the received body checked against the token's payload hash.
  Identity identify(const http::Request& request) const;
  // identify(), then 403 unless the caller is a platform admin.
  Identity require_admin(const http::Request& request) const;
  // require_admin() as an http::Router guard (a copy of this check).
  http::RequestGuard admin_guard() const;

 private:
  Signer signer_;
  Clock now_;
};

}  // namespace marina::passport
