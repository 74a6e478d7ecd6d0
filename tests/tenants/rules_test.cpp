// The parts of the hosting rules that need no server: subdomain validation
// with its distinct codes, sealing of relay secrets and cursors. (Plan limits
// are rows of the `plans` table: hosting_pgtest.cpp.)
#include <gtest/gtest.h>

#include "marina/http/error.hpp"
#include "page.hpp"
#include "sealed_secret.hpp"
#include "subdomain.hpp"

namespace marina::tenants {
namespace {

const std::set<std::string> kReserved = {"api", "admin", "www", "status"};

std::string code_of(std::string_view subdomain) {
  try {
    normalize_subdomain(subdomain, kReserved);
    return "ok";
  } catch (const http::Error& e) {
    return e.code();
  }
}

TEST(Subdomain, AcceptsLabelsAndStoresThemLowerCase) {
  EXPECT_EQ(normalize_subdomain("MyRelay-01", kReserved), "myrelay-01");
  EXPECT_EQ(normalize_subdomain("a", kReserved), "a");
  EXPECT_EQ(normalize_subdomain("9", kReserved), "9");
  EXPECT_EQ(normalize_subdomain(std::string(63, 'x'), kReserved), std::string(63, 'x'));
  EXPECT_EQ(normalize_subdomain("a--b", kReserved), "a--b");
}

TEST(Subdomain, EachViolationHasItsCode) {
  EXPECT_EQ(code_of(""), "subdomain-invalid");
  EXPECT_EQ(code_of("-abc"), "subdomain-invalid");
  EXPECT_EQ(code_of("abc-"), "subdomain-invalid");
  EXPECT_EQ(code_of("a_b"), "subdomain-invalid");
  EXPECT_EQ(code_of("a.b"), "subdomain-invalid");
  EXPECT_EQ(code_of("caf\xc3\xa9"), "subdomain-invalid");
  EXPECT_EQ(code_of(std::string(64, 'x')), "subdomain-too-long");
  EXPECT_EQ(code_of("api"), "subdomain-reserved");
  EXPECT_EQ(code_of("ADMIN"), "subdomain-reserved");
  EXPECT_EQ(code_of("Www"), "subdomain-reserved");
  EXPECT_EQ(code_of("status"), "subdomain-reserved");
  EXPECT_EQ(code_of("apis"), "ok");
}

TEST(Subdomain, ReservedIsAConflictAndInvalidABadRequest) {
  try {
    normalize_subdomain("api", kReserved);
    FAIL();
  } catch (const http::Error& e) {
    EXPECT_EQ(e.status(), 409);
  }
  try {
    normalize_subdomain("a b", kReserved);
    FAIL();
  } catch (const http::Error& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(SealedSecret, RoundTripsAndRefusesTamperingOrAnotherKey) {
  const std::string key(32, '\x07');
  const std::string secret(32, '\x42');
  const std::string sealed = seal(key, secret);
  EXPECT_EQ(sealed.size(), 12u + 32u + 16u);
  EXPECT_EQ(sealed.find(secret), std::string::npos);
  ASSERT_TRUE(open_sealed(key, sealed).has_value());
  EXPECT_EQ(*open_sealed(key, sealed), secret);
  EXPECT_NE(seal(key, secret), sealed) << "a fresh nonce every time";
  std::string tampered = sealed;
  tampered[20] ^= 1;
  EXPECT_FALSE(open_sealed(key, tampered).has_value());
  EXPECT_FALSE(open_sealed(std::string(32, '\x08'), sealed).has_value());
  EXPECT_FALSE(open_sealed(key, sealed.substr(0, 20)).has_value());
}

TEST(TimeCursor, SplitsTimeAndKey) {
  auto c = parse_time_cursor("1700000000123456.abc");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->micros, 1700000000123456);
  EXPECT_EQ(c->key, "abc");
  EXPECT_FALSE(parse_time_cursor("garbage").has_value());
  EXPECT_FALSE(parse_time_cursor("12x.abc").has_value());
  EXPECT_FALSE(parse_time_cursor(".abc").has_value());
  EXPECT_FALSE(parse_time_cursor("12.").has_value());
}

}  // namespace
}  // namespace marina::tenants
