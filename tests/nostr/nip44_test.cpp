// NIP-44 v2: every case of the official vector file, valid and invalid, and
// the extended-length vectors of the NIP text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/nip44.hpp"
#include "marina/nostr/sha256.hpp"
#include "test_support.hpp"

using namespace marina::nostr;
using nlohmann::json;

namespace {

const json& vectors() {
  static const json v =
      json::parse(test::read_file(test::shared_dir() + "/vectors/nip44.vectors.json"))["v2"];
  return v;
}

Bytes32 b32(const std::string& hex) {
  auto b = Bytes32::from_hex(hex);
  if (!b) throw std::runtime_error("bad hex " + hex);
  return *b;
}
PublicKey pk(const std::string& hex) { return *PublicKey::from_hex(hex); }
SecretKey sk(const std::string& hex) { return test::key_from_hex(hex); }

}  // namespace

TEST(Nip44Vectors, ValidConversationKeys) {
  const auto& cases = vectors()["valid"]["get_conversation_key"];
  ASSERT_EQ(cases.size(), 35u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.dump());
    auto key = nip44::conversation_key(sk(c["sec1"]), pk(c["pub2"]));
    ASSERT_TRUE(key.ok()) << nip44::to_string(key.error());
    EXPECT_EQ(key->hex(), c["conversation_key"]);
  }
}

TEST(Nip44Vectors, ValidMessageKeys) {
  const auto& group = vectors()["valid"]["get_message_keys"];
  const Bytes32 conversation = b32(group["conversation_key"]);
  ASSERT_EQ(group["keys"].size(), 32u);
  for (const auto& c : group["keys"]) {
    SCOPED_TRACE(c.dump());
    const auto keys = nip44::message_keys(conversation, b32(c["nonce"]));
    EXPECT_EQ(hex_encode(keys.chacha_key), c["chacha_key"]);
    EXPECT_EQ(hex_encode(keys.chacha_nonce), c["chacha_nonce"]);
    EXPECT_EQ(hex_encode(keys.hmac_key), c["hmac_key"]);
  }
}

TEST(Nip44Vectors, ValidPaddedLengths) {
  const auto& cases = vectors()["valid"]["calc_padded_len"];
  ASSERT_EQ(cases.size(), 24u);
  for (const auto& c : cases) EXPECT_EQ(nip44::padded_length(c[0].get<std::uint64_t>()), c[1].get<std::uint64_t>()) << c;
}

TEST(Nip44Vectors, ValidEncryptDecrypt) {
  const auto& cases = vectors()["valid"]["encrypt_decrypt"];
  ASSERT_EQ(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["plaintext"].get<std::string>());
    const SecretKey sec1 = sk(c["sec1"]), sec2 = sk(c["sec2"]);
    // As the vector file describes: pub2 from sec2, key from (sec1, pub2),
    // encrypt; then pub1 from sec1, key from (sec2, pub1), decrypt.
    auto key12 = nip44::conversation_key(sec1, public_key(sec2));
    ASSERT_TRUE(key12.ok());
    EXPECT_EQ(key12->hex(), c["conversation_key"]);
    auto payload = nip44::encrypt(c["plaintext"].get<std::string>(), *key12, b32(c["nonce"]));
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(*payload, c["payload"]);

    auto key21 = nip44::conversation_key(sec2, public_key(sec1));
    ASSERT_TRUE(key21.ok());
    EXPECT_EQ(*key21, *key12);
    auto plaintext = nip44::decrypt(c["payload"].get<std::string>(), *key21);
    ASSERT_TRUE(plaintext.ok()) << nip44::to_string(plaintext.error());
    EXPECT_EQ(*plaintext, c["plaintext"]);
  }
}

TEST(Nip44Vectors, ValidLongMessages) {
  const auto& cases = vectors()["valid"]["encrypt_decrypt_long_msg"];
  ASSERT_EQ(cases.size(), 3u);
  for (const auto& c : cases) {
    std::string plaintext;
    for (int i = 0; i < c["repeat"].get<int>(); ++i) plaintext += c["pattern"].get<std::string>();
    EXPECT_EQ(sha256(plaintext).hex(), c["plaintext_sha256"]);
    const Bytes32 key = b32(c["conversation_key"]);
    auto payload = nip44::encrypt(plaintext, key, b32(c["nonce"]));
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(sha256(*payload).hex(), c["payload_sha256"]);
    auto back = nip44::decrypt(*payload, key);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, plaintext);
  }
}

TEST(Nip44Vectors, InvalidMessageLengths) {
  const auto& cases = vectors()["invalid"]["encrypt_msg_lengths"];
  ASSERT_EQ(cases.size(), 4u);
  const Bytes32 key = b32(std::string(64, '1'));
  for (const auto& c : cases) {
    const std::string plaintext(c.get<std::size_t>(), 'a');
    auto r = nip44::encrypt(plaintext, key, b32(std::string(64, '2')));
    ASSERT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.error(), nip44::Error::invalid_plaintext_length);
  }
}

TEST(Nip44Vectors, InvalidConversationKeys) {
  const auto& cases = vectors()["invalid"]["get_conversation_key"];
  ASSERT_EQ(cases.size(), 8u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["note"].get<std::string>());
    auto r = nip44::conversation_key(b32(c["sec1"]), pk(c["pub2"]));
    ASSERT_FALSE(r.ok());
    const std::string note = c["note"];
    const auto expected =
        note.rfind("sec1", 0) == 0 ? nip44::Error::invalid_secret_key : nip44::Error::invalid_public_key;
    EXPECT_EQ(r.error(), expected);
  }
}

TEST(Nip44Vectors, InvalidPayloads) {
  const auto& cases = vectors()["invalid"]["decrypt"];
  ASSERT_EQ(cases.size(), 12u);
  for (const auto& c : cases) {
    const std::string note = c["note"];
    SCOPED_TRACE(note);
    auto r = nip44::decrypt(c["payload"].get<std::string>(), b32(c["conversation_key"]));
    ASSERT_FALSE(r.ok());
    nip44::Error expected;
    if (note.rfind("unknown encryption version", 0) == 0) expected = nip44::Error::unknown_version;
    else if (note == "invalid base64") expected = nip44::Error::invalid_base64;
    else if (note == "invalid MAC") expected = nip44::Error::invalid_mac;
    else if (note == "invalid padding") expected = nip44::Error::invalid_padding;
    else if (note.rfind("invalid payload length", 0) == 0) expected = nip44::Error::invalid_payload_size;
    else FAIL() << "unexpected note " << note;
    EXPECT_EQ(r.error(), expected);
  }
}

TEST(Nip44Extended, LengthPrefixBoundaryFromTheNip) {
  // The table in 44.md: plaintext 'a' * n with these checksums, and n >= 65536
  // only with the extended prefix enabled.
  struct Case {
    std::size_t length;
    std::uint64_t padded;
    const char* plaintext_sha256;
    const char* payload_sha256;
  };
  const Case cases[] = {
      {65535, 65536, "6e1bebca6a8229364a162a72ef064826c4cd7457bf54f190ef782bd9deff3e42",
       "6d8c2810d1e870fbaa1f0a0937126cca837a15f9260e27060c331d70a3c0bc84"},
      {65536, 65536, "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a",
       "b7b4edb36ba92e267d322d56d9aebc22e7fa96ff52e3c12adc07f07a43cbc616"},
      {65537, 81920, "008ffc88d3c96a9f307524eb361e47c5222a887fc45fa0c1fb8d429c5c23b430",
       "eeb7c7c5373894ea2c1547cfd3ccb15d5a0b2d619da852e5c79df792dcc9e435"},
  };
  const Bytes32 key = b32("c41c775356fd92eadc63ff5a0dc1da211b268cbea22316767095b2871ea1412d");
  const Bytes32 nonce = b32("0000000000000000000000000000000000000000000000000000000000000001");
  const nip44::Limits extended{.max_plaintext_bytes = 1 << 20};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.length);
    const std::string plaintext(c.length, 'a');
    EXPECT_EQ(sha256(plaintext).hex(), c.plaintext_sha256);
    EXPECT_EQ(nip44::padded_length(c.length), c.padded);
    auto payload = nip44::encrypt(plaintext, key, nonce, extended);
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(sha256(*payload).hex(), c.payload_sha256);
    auto back = nip44::decrypt(*payload, key, extended);
    ASSERT_TRUE(back.ok()) << nip44::to_string(back.error());
    EXPECT_EQ(back->size(), c.length);
    // With the default (interoperable) limit, the extended form is refused.
    if (c.length > nip44::kMaxCompactPlaintext) {
      EXPECT_FALSE(nip44::encrypt(plaintext, key, nonce).ok());
      EXPECT_FALSE(nip44::decrypt(*payload, key).ok());
    }
  }
}

TEST(Nip44Extended, PaddedLengthUses64Bits) {
  EXPECT_EQ(nip44::padded_length(nip44::kMaxExtendedPlaintext), std::uint64_t{1} << 32);
  EXPECT_EQ(nip44::padded_length(1), 32u);
}

TEST(Nip44, RandomNonceRoundTripAndTamperDetection) {
  auto key = nip44::conversation_key(test::alice(), public_key(test::bob()));
  ASSERT_TRUE(key.ok());
  auto a = nip44::encrypt("hello", *key), b = nip44::encrypt("hello", *key);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // fresh nonce each time
  EXPECT_EQ(nip44::decrypt(*a, *key).value(), "hello");

  // Flip one bit of the ciphertext: MAC failure, not garbage plaintext.
  auto raw = *base64_decode(*a);
  raw[40] ^= 1;
  EXPECT_EQ(nip44::decrypt(base64_encode(raw), *key).error(), nip44::Error::invalid_mac);
  // Wrong key.
  auto other = nip44::conversation_key(test::alice(), public_key(SecretKey::generate()));
  EXPECT_EQ(nip44::decrypt(*a, *other).error(), nip44::Error::invalid_mac);
  // Oversized input is refused before decoding.
  EXPECT_EQ(nip44::decrypt(std::string(200000, 'A'), *key).error(), nip44::Error::invalid_payload_size);
  EXPECT_EQ(nip44::decrypt("", *key).error(), nip44::Error::invalid_payload_size);
  EXPECT_EQ(nip44::decrypt("#abc", *key).error(), nip44::Error::unknown_version);
}
