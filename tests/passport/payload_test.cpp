// The body half of the passport check: the body's SHA-256 against the
// NIP-98 payload hash the passport carries.
#include "marina/passport/payload.hpp"

#include <gtest/gtest.h>

using namespace marina::passport;

namespace {
const std::string kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kAbcSha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

Identity with_payload(std::optional<std::string> hash) { return Identity{std::string(64, 'a'), Role::tenant, hash}; }
}  // namespace

TEST(Payload, BodyHashIsLowercaseHexSha256) {
  EXPECT_EQ(body_sha256_hex(""), kEmptySha);
  EXPECT_EQ(body_sha256_hex("abc"), kAbcSha);
}

TEST(Payload, SignedBodyMatches) {
  EXPECT_EQ(check_payload(with_payload(kAbcSha), "abc"), PayloadCheck::ok);
  EXPECT_EQ(check_payload(with_payload(kEmptySha), ""), PayloadCheck::ok);
}

TEST(Payload, AnotherBodyIsAMismatch) {
  EXPECT_EQ(check_payload(with_payload(kAbcSha), "abd"), PayloadCheck::mismatch);
  // A token that signed a body, sent without it.
  EXPECT_EQ(check_payload(with_payload(kAbcSha), ""), PayloadCheck::mismatch);
}

TEST(Payload, UnsignedBodyIsMissingButNoBodyNeedsNoHash) {
  EXPECT_EQ(check_payload(with_payload(std::nullopt), "abc"), PayloadCheck::missing);
  EXPECT_EQ(check_payload(with_payload(std::nullopt), ""), PayloadCheck::ok);
}
