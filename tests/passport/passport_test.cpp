#include "marina/passport/passport.hpp"

#include <gtest/gtest.h>

using namespace marina::passport;

namespace {
const std::string kSecret(32, 'k');
const std::string kPubkey(64, 'a');
constexpr std::int64_t kNow = 1'700'000'000;
}  // namespace

TEST(Passport, IssuedPassportVerifiesForTheSameRequest) {
  Signer s(kSecret);
  Identity id{kPubkey, Role::admin, std::string(64, 'b')};
  auto p = s.issue(id, "POST", "/tenant/relays", kNow);
  auto r = s.verify(p, "POST", "/tenant/relays", kNow + 5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.identity->pubkey, kPubkey);
  EXPECT_EQ(r.identity->role, Role::admin);
  EXPECT_EQ(r.identity->payload_sha256, std::string(64, 'b'));
}

TEST(Passport, RefusedForAnotherRequestOrSecret) {
  Signer s(kSecret);
  auto p = s.issue(Identity{kPubkey, Role::tenant, std::nullopt}, "GET", "/tenant", kNow);
  EXPECT_EQ(s.verify(p, "DELETE", "/tenant", kNow).failure, Failure::bad_signature);
  EXPECT_EQ(s.verify(p, "GET", "/tenant/relays", kNow).failure, Failure::bad_signature);
  Signer other(std::string(32, 'x'));
  EXPECT_EQ(other.verify(p, "GET", "/tenant", kNow).failure, Failure::bad_signature);
}

TEST(Passport, ForgedRoleIsRefused) {
  Signer s(kSecret);
  auto p = s.issue(Identity{kPubkey, Role::tenant, std::nullopt}, "GET", "/admin/tenants", kNow);
  auto pos = p.find(".tenant.");
  ASSERT_NE(pos, std::string::npos);
  std::string forged = p;
  forged.replace(pos, 8, ".admin.");
  EXPECT_FALSE(s.verify(forged, "GET", "/admin/tenants", kNow).ok());
}

TEST(Passport, ExpiresAfterItsLifetime) {
  Signer s(kSecret, std::chrono::seconds(30));
  auto p = s.issue(Identity{kPubkey, Role::tenant, std::nullopt}, "GET", "/tenant", kNow);
  EXPECT_TRUE(s.verify(p, "GET", "/tenant", kNow + 30).ok());
  EXPECT_EQ(s.verify(p, "GET", "/tenant", kNow + 31).failure, Failure::expired);
}

TEST(Passport, MalformedAndMissing) {
  Signer s(kSecret);
  EXPECT_EQ(s.verify("", "GET", "/", kNow).failure, Failure::missing);
  EXPECT_EQ(s.verify("v1.x", "GET", "/", kNow).failure, Failure::malformed);
  EXPECT_EQ(s.verify("v2." + kPubkey + ".tenant.-.1." + std::string(64, '0'), "GET", "/", kNow).failure,
            Failure::malformed);
  EXPECT_EQ(code(Failure::expired), "passport-expired");
  EXPECT_THROW(Signer("short"), std::invalid_argument);
}
