#include "marina/passport/request_check.hpp"

#include <string>

#include "marina/http/error.hpp"
#include "marina/passport/headers.hpp"
#include "marina/passport/payload.hpp"

namespace marina::passport {

namespace {

http::Error unauthorized(std::string code, std::string detail) {
  return http::Error(401, std::move(code), "Unauthorized", std::move(detail));
}

std::string_view describe(Failure f) {
  switch (f) {
    case Failure::missing: return "no X-Auth-Passport: the request did not come through the ingress";
    case Failure::malformed: return "X-Auth-Passport is not a passport";
    case Failure::bad_signature: return "X-Auth-Passport was not issued by auth for this request";
    case Failure::expired: return "X-Auth-Passport has expired";
    case Failure::wrong_request: return "X-Auth-Passport was issued for another request";
  }
  return "X-Auth-Passport refused";
}

// A plain identity header may be absent (the passport is what counts) but
// never contradict the passport: that is a forgery or a misrouted request.
void expect_agrees(const http::Request& request, std::string_view header, std::string_view expected) {
  auto sent = request.header(header);
  if (sent && *sent != expected)
    throw unauthorized("passport-mismatch", std::string(header) + " disagrees with X-Auth-Passport");
}

}  // namespace

RequestCheck::RequestCheck(Signer signer, Clock now) : signer_(std::move(signer)), now_(std::move(now)) {}

Identity RequestCheck::identify(const http::Request& request) const {
  auto passport = request.header(kPassportHeader).value_or("");
  auto result = signer_.verify(passport, request.method, request.target, now_());
  if (!result.ok()) throw unauthorized(std::string(code(result.failure)), std::string(describe(result.failure)));
  Identity id = std::move(*result.identity);

  expect_agrees(request, kPubkeyHeader, id.pubkey);
  expect_agrees(request, kRoleHeader, to_string(id.role));
  expect_agrees(request, kPayloadHeader, id.payload_sha256.value_or(""));

  switch (check_payload(id, request.body)) {
    case PayloadCheck::ok: break;
    case PayloadCheck::missing:
      throw unauthorized("payload-missing",
                         "the request has a body but its NIP-98 token has no payload tag (SHA-256 of the body)");
    case PayloadCheck::mismatch:
      throw unauthorized("payload-mismatch", "the body is not the one the NIP-98 token's payload tag names");
  }
  return id;
}

Identity RequestCheck::require_admin(const http::Request& request) const {
  Identity id = identify(request);
  if (id.role != Role::admin) throw http::Error::forbidden("this route is for platform admins", "admin-required");
  return id;
}

http::RequestGuard RequestCheck::admin_guard() const {
  return [check = *this](const http::Request& request) { check.require_admin(request); };
}

}  // namespace marina::passport
