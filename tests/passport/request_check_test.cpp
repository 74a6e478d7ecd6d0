// passport::RequestCheck, the check tenants and billing run: the identity the
// ingress forwarded, refused when missing, forged, meant for another request,
// expired, contradicted by the plain headers, or not covering the body.
#include "marina/passport/request_check.hpp"

#include <gtest/gtest.h>

#include "marina/core/config.hpp"
#include "marina/http/error.hpp"
#include "marina/passport/config.hpp"
#include "marina/passport/headers.hpp"
#include "marina/passport/payload.hpp"

using namespace marina;
using namespace marina::passport;

namespace {

const std::string kSecret(32, 'k');
const std::string kPubkey(64, 'a');
constexpr std::int64_t kNow = 1'700'000'000;

http::Request forwarded(const Identity& id, const std::string& method, const std::string& target,
                        std::string body = {}, std::int64_t issued = kNow) {
  auto r = http::Request::make(method, target);
  r.headers.set(std::string(kPubkeyHeader), id.pubkey);
  r.headers.set(std::string(kRoleHeader), std::string(to_string(id.role)));
  if (id.payload_sha256) r.headers.set(std::string(kPayloadHeader), *id.payload_sha256);
  r.headers.set(std::string(kPassportHeader), Signer(kSecret).issue(id, method, target, issued));
  r.body = std::move(body);
  return r;
}

// The problem a request gets: status and code, or "200 ok".
std::string outcome(const RequestCheck& check, const http::Request& r, bool admin = false) {
  try {
    admin ? check.require_admin(r) : check.identify(r);
    return "200 ok";
  } catch (const http::Error& e) {
    return std::to_string(e.status()) + " " + e.code();
  }
}

const RequestCheck kCheck(Signer(kSecret), [] { return kNow; });
const Identity kTenant{kPubkey, Role::tenant, std::nullopt};

}  // namespace

TEST(RequestCheck, ForwardedIdentityIsAccepted) {
  auto id = kCheck.identify(forwarded(kTenant, "GET", "/tenant/whoami?x=1"));
  EXPECT_EQ(id.pubkey, kPubkey);
  EXPECT_EQ(id.role, Role::tenant);
}

TEST(RequestCheck, RequestThatBypassedTheIngressIsRefused) {
  EXPECT_EQ(outcome(kCheck, http::Request::make("GET", "/tenant")), "401 passport-missing");
  auto only_plain_headers = http::Request::make("GET", "/tenant");
  only_plain_headers.headers.set("X-Auth-Pubkey", kPubkey);
  only_plain_headers.headers.set("X-Auth-Role", "admin");
  EXPECT_EQ(outcome(kCheck, only_plain_headers), "401 passport-missing");
}

TEST(RequestCheck, ForgedOrMisdirectedPassportIsRefused) {
  auto garbage = forwarded(kTenant, "GET", "/tenant");
  garbage.headers.set("X-Auth-Passport", "v1.not-a-passport");
  EXPECT_EQ(outcome(kCheck, garbage), "401 passport-malformed");

  auto other_secret = forwarded(kTenant, "GET", "/tenant");
  other_secret.headers.set("X-Auth-Passport",
                           Signer(std::string(32, 'x')).issue(Identity{kPubkey, Role::admin, std::nullopt}, "GET",
                                                              "/tenant", kNow));
  other_secret.headers.set("X-Auth-Role", "admin");
  EXPECT_EQ(outcome(kCheck, other_secret), "401 passport-bad-signature");

  // A real passport replayed against another route or method.
  auto moved = forwarded(kTenant, "GET", "/tenant");
  moved.target = "/admin/tenants";
  EXPECT_EQ(outcome(kCheck, moved), "401 passport-bad-signature");
  auto other_method = forwarded(kTenant, "GET", "/tenant");
  other_method.method = "DELETE";
  EXPECT_EQ(outcome(kCheck, other_method), "401 passport-bad-signature");
}

TEST(RequestCheck, ExpiredPassportIsRefused) {
  EXPECT_EQ(outcome(kCheck, forwarded(kTenant, "GET", "/tenant", {}, kNow - 31)), "401 passport-expired");
  EXPECT_EQ(outcome(kCheck, forwarded(kTenant, "GET", "/tenant", {}, kNow - 30)), "200 ok");
}

TEST(RequestCheck, PlainHeadersMustAgreeWithThePassport) {
  auto role = forwarded(kTenant, "GET", "/tenant");
  role.headers.set("X-Auth-Role", "admin");
  EXPECT_EQ(outcome(kCheck, role), "401 passport-mismatch");
  auto pubkey = forwarded(kTenant, "GET", "/tenant");
  pubkey.headers.set("X-Auth-Pubkey", std::string(64, 'b'));
  EXPECT_EQ(outcome(kCheck, pubkey), "401 passport-mismatch");
  auto payload = forwarded(kTenant, "GET", "/tenant");
  payload.headers.set("X-Auth-Payload", body_sha256_hex("x"));
  EXPECT_EQ(outcome(kCheck, payload), "401 passport-mismatch");
  // Absent plain headers are fine: the passport is what counts.
  auto bare = forwarded(kTenant, "GET", "/tenant");
  bare.headers.remove("X-Auth-Pubkey");
  bare.headers.remove("X-Auth-Role");
  EXPECT_EQ(outcome(kCheck, bare), "200 ok");
}

TEST(RequestCheck, BodyMustBeTheOneTheTokenSigned) {
  const std::string body = R"({"name":"relay"})";
  const Identity signed_body{kPubkey, Role::tenant, body_sha256_hex(body)};
  EXPECT_EQ(outcome(kCheck, forwarded(signed_body, "POST", "/tenant/relays", body)), "200 ok");
  EXPECT_EQ(outcome(kCheck, forwarded(signed_body, "POST", "/tenant/relays", R"({"name":"other"})")),
            "401 payload-mismatch");
  EXPECT_EQ(outcome(kCheck, forwarded(kTenant, "POST", "/tenant/relays", body)), "401 payload-missing");
  EXPECT_EQ(outcome(kCheck, forwarded(kTenant, "DELETE", "/tenant/relays/1")), "200 ok");
}

TEST(RequestCheck, AdminRoutesNeedTheAdminRole) {
  EXPECT_EQ(outcome(kCheck, forwarded(kTenant, "GET", "/admin/tenants"), true), "403 admin-required");
  EXPECT_EQ(outcome(kCheck, forwarded(Identity{kPubkey, Role::admin, std::nullopt}, "GET", "/admin/tenants"), true),
            "200 ok");
}

TEST(PassportSecret, DeclaredRequiredAndAtLeast32Bytes) {
  auto config_with = [](std::optional<std::string> value) {
    return core::Config([value](const std::string& name) -> std::optional<std::string> {
      return name == "PASSPORT_SECRET" ? value : std::nullopt;
    });
  };
  auto ok = config_with(std::string(32, 's'));
  EXPECT_EQ(declare_secret(ok), std::string(32, 's'));
  EXPECT_NO_THROW(ok.finish());
  EXPECT_TRUE(ok.entries().front().secret);

  auto missing = config_with(std::nullopt);
  declare_secret(missing);
  EXPECT_THROW(missing.finish(), core::ConfigError);

  auto too_short = config_with(std::string(31, 's'));
  EXPECT_THROW(declare_secret(too_short), core::ConfigError);
}
