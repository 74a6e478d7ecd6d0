// hex, base64, SHA-256, HMAC-SHA256 and the random source.
#include <gtest/gtest.h>

#include <set>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/random.hpp"
#include "marina/nostr/sha256.hpp"

using namespace marina::nostr;

namespace {
std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }
}  // namespace

TEST(Hex, EncodesLowercase) {
  EXPECT_EQ(hex_encode(std::vector<std::uint8_t>{0x00, 0xab, 0xff, 0x10}), "00abff10");
  EXPECT_EQ(hex_encode(std::string_view("")), "");
}

TEST(Hex, DecodeAcceptsEitherCaseButRejectsJunk) {
  EXPECT_EQ(hex_decode("00ABff10"), (std::vector<std::uint8_t>{0x00, 0xab, 0xff, 0x10}));
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_FALSE(hex_decode("0x"));
}

TEST(Hex, FixedBytesFromHexIsStrictAboutCaseAndLength) {
  const std::string lower(64, 'a');
  EXPECT_TRUE(EventId::from_hex(lower));
  EXPECT_FALSE(EventId::from_hex(std::string(64, 'A')));
  EXPECT_FALSE(EventId::from_hex(std::string(63, 'a')));
  EXPECT_FALSE(EventId::from_hex(std::string(66, 'a')));
  EXPECT_FALSE(EventId::from_hex(std::string(62, 'a') + "g0"));
  EXPECT_EQ(EventId::from_hex(lower)->hex(), lower);
  EXPECT_TRUE(is_lower_hex("09af", 4));
  EXPECT_FALSE(is_lower_hex("09aF", 4));
  EXPECT_FALSE(is_lower_hex("09a", 4));
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(std::string_view(plain)), encoded);
    EXPECT_EQ(base64_decode(encoded), bytes(plain)) << encoded;
  }
}

TEST(Base64, PaddingRules) {
  EXPECT_FALSE(base64_decode("Zg", Base64Padding::required));
  EXPECT_EQ(base64_decode("Zg", Base64Padding::optional), bytes("f"));
  EXPECT_EQ(base64_decode("Zm8", Base64Padding::optional), bytes("fo"));
  EXPECT_FALSE(base64_decode("Zg=", Base64Padding::optional));   // half padding
  EXPECT_FALSE(base64_decode("Zm9v=", Base64Padding::optional));  // padding after a full group
  EXPECT_FALSE(base64_decode("Z===", Base64Padding::optional));
  EXPECT_FALSE(base64_decode("Z", Base64Padding::optional));
}

TEST(Base64, RejectsJunkAndNonCanonicalBits) {
  EXPECT_FALSE(base64_decode("Zm9v!A=="));
  EXPECT_FALSE(base64_decode("Zm 9v"));
  EXPECT_FALSE(base64_decode("Zm9v-_=="));  // base64url alphabet
  EXPECT_FALSE(base64_decode("Zh=="));      // 'h' leaves non-zero bits after "f"
  EXPECT_FALSE(base64_decode("Zm9="));      // '9' leaves non-zero bits after "fo"
}

TEST(Base64, RoundTripsEveryLengthAndByte) {
  std::vector<std::uint8_t> data;
  for (int i = 0; i < 300; ++i) {
    auto decoded = base64_decode(base64_encode(data));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, data);
    data.push_back(static_cast<std::uint8_t>(i * 37 + 11));
  }
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(sha256(std::string_view("")).hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256(std::string_view("abc")).hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256(std::string(1000000, 'a')).hex(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HmacSha256, Rfc4231Vectors) {
  // Test case 2: key "Jefe".
  const auto key = bytes("Jefe");
  const auto msg = bytes("what do ya want for nothing?");
  EXPECT_EQ(hmac_sha256(key, {msg}).hex(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // The same message given in pieces gives the same MAC.
  const auto a = bytes("what do ya "), b = bytes("want for nothing?");
  EXPECT_EQ(hmac_sha256(key, {a, b}).hex(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size is hashed first.
  const std::vector<std::uint8_t> long_key(131, 0xaa);
  EXPECT_EQ(hmac_sha256(long_key, {bytes("Test Using Larger Than Block-Size Key - Hash Key First")}).hex(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Random, ProducesDistinctValuesInRange) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(random_bytes32().hex());
  EXPECT_EQ(seen.size(), 50u);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(random_below(7), 7u);
  EXPECT_THROW(random_below(0), std::invalid_argument);
}
