// NIP-19 bech32 entities: the examples in the NIP and every error.
#include <gtest/gtest.h>

#include "marina/nostr/nip19.hpp"

using namespace marina::nostr;
using namespace marina::nostr::nip19;

TEST(Nip19, NpubExample) {
  const std::string npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
  const std::string hex = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
  auto pk = decode_npub(npub);
  ASSERT_TRUE(pk.ok());
  EXPECT_EQ(pk->hex(), hex);
  EXPECT_EQ(encode_npub(*PublicKey::from_hex(hex)), npub);
  EXPECT_EQ(encode_npub(*PublicKey::from_hex("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d")),
            "npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6");
}

TEST(Nip19, NsecExample) {
  const std::string nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
  auto sk = decode_nsec(nsec);
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(sk->reveal_hex(), "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa");
  EXPECT_EQ(encode_nsec(*sk), nsec);
}

TEST(Nip19, NoteRoundTrip) {
  const EventId id = *EventId::from_hex("000006d8c378af1779d2feebc7603a125d99eca0ccf1085959b307f64e5dd358");
  const std::string note = encode_note(id);
  EXPECT_EQ(note.rfind("note1", 0), 0u);
  EXPECT_EQ(decode_note(note).value(), id);
}

TEST(Nip19, NprofileExample) {
  auto p = decode_nprofile(
      "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv"
      "34kytnrdaksjlyr9p");
  ASSERT_TRUE(p.ok()) << to_string(p.error());
  EXPECT_EQ(p->pubkey.hex(), "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d");
  EXPECT_EQ(p->relays, (std::vector<std::string>{"wss://r.x.com", "wss://djbas.sadkb.com"}));
  EXPECT_EQ(decode_nprofile(encode_nprofile(*p)).value().relays, p->relays);
}

TEST(Nip19, NeventRoundTripWithOptionalFields) {
  EventPointer ptr;
  ptr.id = *EventId::from_hex(std::string(64, 'c'));
  ptr.relays = {"wss://relay.example.com"};
  ptr.author = *PublicKey::from_hex(std::string(64, 'd'));
  ptr.kind = 30023;
  auto back = decode_nevent(encode_nevent(ptr));
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  EXPECT_EQ(back->id, ptr.id);
  EXPECT_EQ(back->relays, ptr.relays);
  EXPECT_EQ(back->author, ptr.author);
  EXPECT_EQ(back->kind, 30023u);

  EventPointer bare;
  bare.id = ptr.id;
  auto minimal = decode_nevent(encode_nevent(bare));
  ASSERT_TRUE(minimal.ok());
  EXPECT_FALSE(minimal->author);
  EXPECT_FALSE(minimal->kind);
  EXPECT_TRUE(minimal->relays.empty());
}

TEST(Nip19, UnknownTlvTypesAreIgnored) {
  std::vector<std::uint8_t> tlv = {9, 2, 0xaa, 0xbb, 0, 32};
  tlv.insert(tlv.end(), 32, 0x11);
  auto p = decode_nprofile(bech32_encode("nprofile", tlv));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->pubkey.hex(), std::string(64, '1'));
}

TEST(Nip19, Errors) {
  const std::string npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
  std::string bad_checksum = npub;
  bad_checksum.back() = bad_checksum.back() == 'q' ? 'p' : 'q';
  EXPECT_EQ(decode_npub(bad_checksum).error(), Error::bad_checksum);
  std::string mixed = npub;
  mixed[6] = 'E';  // "npub10elf..." -> "npub10Elf..."
  EXPECT_EQ(decode_npub(mixed).error(), Error::bad_encoding);
  std::string upper = npub;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(decode_npub(upper).ok());  // all-uppercase is valid bech32
  EXPECT_EQ(decode_npub("npub1qqqqqq").error(), Error::bad_checksum);
  EXPECT_EQ(decode_npub("npub").error(), Error::bad_encoding);
  EXPECT_EQ(decode_npub("npub1b!").error(), Error::bad_encoding);
  EXPECT_EQ(decode_nsec(npub).error(), Error::wrong_prefix);
  EXPECT_EQ(decode_note(npub).error(), Error::wrong_prefix);
  EXPECT_EQ(decode_npub(bech32_encode("npub", std::vector<std::uint8_t>(31, 1))).error(), Error::bad_length);
  EXPECT_EQ(decode_nsec(bech32_encode("nsec", std::vector<std::uint8_t>(32, 0))).error(), Error::invalid_key);
  EXPECT_EQ(decode_npub("npub1" + std::string(5000, 'q')).error(), Error::too_long);
  EXPECT_EQ(decode_nprofile(bech32_encode("nprofile", {1, 3, 'w', 's'})).error(), Error::bad_tlv);  // truncated
  EXPECT_EQ(decode_nprofile(bech32_encode("nprofile", {1, 2, 'w', 's'})).error(), Error::missing_field);
  EXPECT_EQ(decode_nevent(bech32_encode("nevent", {0, 31})).error(), Error::bad_tlv);
  EXPECT_EQ(to_string(Error::bad_checksum), "bad-checksum");
}
