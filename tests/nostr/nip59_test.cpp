// NIP-59 gift wraps and NIP-17 direct messages: the NIPs' examples open with
// their keys, our own wraps round-trip, and forgeries are refused.
#include <gtest/gtest.h>

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip19.hpp"
#include "marina/nostr/nip44.hpp"
#include "marina/nostr/nip59.hpp"
#include "test_support.hpp"

using namespace marina::nostr;

namespace {

constexpr std::int64_t kNow = 1700000000;

Event parsed(const std::string& json) {
  auto r = parse_event(json);
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

// The gift wrap of 59.md has a trailing comma after its last field, which
// is not JSON; the event itself is fine once that typo is removed.
std::string nip59_wrap_json(bool fix_typo) {
  std::string block = test::json_block_containing(test::nip_text("59"), "5c005f3ccf01950a");
  if (fix_typo) {
    const auto comma = block.rfind("],");
    block.erase(comma + 1, 1);
  }
  return block;
}

}  // namespace

TEST(Nip59, TheSealInTheNipOpensWithTheGivenKeys) {
  const SecretKey author = test::key_from_hex("0beebd062ec8735f4243466049d7747ef5d6594ee838de147f8aab842b15e273");
  const SecretKey recipient = test::key_from_hex("e108399bd8424357a710b606ae0c13166d853d327e47a6e5e038197346bdbf45");
  const Event seal = parsed(test::json_block_containing(test::nip_text("59"), "28a87d7c074d94a5"));
  EXPECT_TRUE(verify_signature(seal));
  EXPECT_EQ(seal.pubkey, public_key(author));

  auto rumor = nip59::unseal(seal, recipient);
  ASSERT_TRUE(rumor.ok()) << rumor.error().message;
  EXPECT_EQ(rumor->id_hex(), "9dd003c6d3b73b74a85a9ab099469ce251653a7af76f523671ab828acd2a0ef9");
  EXPECT_EQ(rumor->content, "Are you going to the party tonight?");
  EXPECT_EQ(rumor->kind, 1);
  EXPECT_EQ(rumor->created_at, 1691518405);
  // Only the recipient can: the seal was encrypted to them, not to its signer
  // (NIP-17 senders keep their copy by sealing a second time to themselves).
  EXPECT_EQ(nip59::unseal(seal, author).error().code, nip59::ErrorCode::decrypt_failed);
  // The rumor as printed in the NIP has a valid id.
  auto printed = parse_rumor(test::json_block_containing(test::nip_text("59"), "9dd003c6d3b73b74"));
  ASSERT_TRUE(printed.ok()) << printed.error().message;
  EXPECT_EQ(printed->id, rumor->id);
}

TEST(Nip59, TheGiftWrapInTheNipOpens) {
  EXPECT_EQ(parse_event(nip59_wrap_json(false)).error().code, ParseErrorCode::malformed_json);
  const Event wrap = parsed(nip59_wrap_json(true));
  EXPECT_TRUE(verify_signature(wrap));
  const SecretKey recipient = test::key_from_hex("e108399bd8424357a710b606ae0c13166d853d327e47a6e5e038197346bdbf45");
  EXPECT_EQ(public_key(test::key_from_hex("4f02eac59266002db5801adc5270700ca69d5b8f761d8732fab2fbf233c90cbd")),
            wrap.pubkey);  // the ephemeral key given in the NIP
  auto opened = nip59::open(wrap, recipient);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->seal.id_hex(), "28a87d7c074d94a58e9e89bb3e9e4e813e2189f285d797b1c56069d36f59eaa7");
  EXPECT_EQ(opened->rumor.content, "Are you going to the party tonight?");
  // Someone else cannot open it.
  auto stranger = nip59::open(wrap, SecretKey::generate());
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, nip59::ErrorCode::decrypt_failed);
}

TEST(Nip17, TheExampleDirectMessagesOpen) {
  const SecretKey sender = nip19::decode_nsec("nsec1w8udu59ydjvedgs3yv5qccshcj8k05fh3l60k9x57asjrqdpa00qkmr89m").value();
  const SecretKey receiver = nip19::decode_nsec("nsec12ywtkplvyq5t6twdqwwygavp5lm4fhuang89c943nf2z92eez43szvn4dt").value();
  const std::string text = test::nip_text("17");
  const Event to_receiver = parsed(test::json_block_containing(text, "2886780f7349afc1"));
  const Event to_sender = parsed(test::json_block_containing(text, "162b0611a1911cfc"));
  EXPECT_EQ(to_receiver.first_tag_value("p"), public_key(receiver).hex());
  EXPECT_EQ(to_sender.first_tag_value("p"), public_key(sender).hex());

  for (const auto& [wrap, key] : {std::pair{to_receiver, receiver}, std::pair{to_sender, sender}}) {
    auto opened = nip59::open(wrap, key);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->rumor.kind, 14);
    EXPECT_EQ(opened->rumor.content, "Hola, que tal?");
    EXPECT_EQ(opened->rumor.pubkey, public_key(sender));
  }
}

TEST(Nip59, CreateAndOpenRoundTrip) {
  const SecretKey alice = test::alice(), bob = test::bob();
  EventTemplate t;
  t.created_at = kNow;
  t.kind = 14;
  t.tags = {{"p", public_key(bob).hex()}};
  t.content = "admin: relay restarted \xf0\x9f\x9a\x80";
  const nip59::Rumor rumor = nip59::create_rumor(t, public_key(alice));
  EXPECT_TRUE(rumor.sig.is_zero());
  EXPECT_TRUE(parse_rumor(rumor.raw).ok());

  const Event wrap = nip59::wrap_for(rumor, alice, public_key(bob), kNow);
  EXPECT_EQ(wrap.kind, 1059);
  EXPECT_EQ(wrap.tags, (Tags{{"p", public_key(bob).hex()}}));
  EXPECT_NE(wrap.pubkey, public_key(alice));
  EXPECT_TRUE(parse_event(wrap.raw).ok());
  EXPECT_TRUE(verify_signature(wrap));
  EXPECT_LE(wrap.created_at, kNow);
  EXPECT_GE(wrap.created_at, kNow - nip59::kMaxTimestampTweak);

  auto opened = nip59::open(wrap, bob);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->rumor.id, rumor.id);
  EXPECT_EQ(opened->rumor.content, t.content);
  EXPECT_EQ(opened->rumor.pubkey, public_key(alice));
  EXPECT_EQ(opened->seal.kind, 13);
  EXPECT_TRUE(opened->seal.tags.empty());
  EXPECT_LE(opened->seal.created_at, kNow);
  EXPECT_GE(opened->seal.created_at, kNow - nip59::kMaxTimestampTweak);

  const Event ephemeral = nip59::gift_wrap(opened->seal, public_key(bob), kNow, nip59::kEphemeralGiftWrapKind);
  EXPECT_EQ(ephemeral.kind, 21059);
  EXPECT_TRUE(nip59::open(ephemeral, bob).ok());
}

TEST(Nip59, TimestampsAreSpreadOverTwoDays) {
  const nip59::Rumor rumor = nip59::create_rumor({kNow, 14, {}, "x"}, public_key(test::alice()));
  std::int64_t lo = kNow, hi = kNow - nip59::kMaxTimestampTweak;
  for (int i = 0; i < 20; ++i) {
    const Event seal = nip59::seal(rumor, test::alice(), public_key(test::bob()), kNow);
    lo = std::min(lo, seal.created_at);
    hi = std::max(hi, seal.created_at);
  }
  EXPECT_GT(hi - lo, 3600);  // twenty draws from two days do not land in one hour
}

TEST(Nip59, SealMustBeSignedByTheRumorAuthor) {
  const nip59::Rumor rumor = nip59::create_rumor({kNow, 14, {}, "x"}, public_key(test::alice()));
  EXPECT_THROW(nip59::seal(rumor, test::bob(), public_key(test::bob()), kNow), std::invalid_argument);
}

TEST(Nip59, ImpersonationIsDetected) {
  // Mallory seals a rumor that claims to be from alice.
  const SecretKey mallory = SecretKey::generate();
  const PublicKey bob = public_key(test::bob());
  const nip59::Rumor forged = nip59::create_rumor({kNow, 14, {}, "send me your nsec"}, public_key(test::alice()));
  auto key = nip44::conversation_key(mallory, bob);
  ASSERT_TRUE(key.ok());
  const Event seal = sign({kNow, 13, {}, nip44::encrypt(forged.raw, *key).value()}, mallory);
  const Event wrap = nip59::gift_wrap(seal, bob, kNow);
  auto opened = nip59::open(wrap, test::bob());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, nip59::ErrorCode::author_mismatch);
}

TEST(Nip59, StructuralFailures) {
  const PublicKey bob = public_key(test::bob());
  const nip59::Rumor rumor = nip59::create_rumor({kNow, 14, {}, "x"}, public_key(test::alice()));
  auto key = nip44::conversation_key(test::alice(), bob).value();

  // A seal with tags.
  const Event tagged_seal = sign({kNow, 13, {{"p", bob.hex()}}, nip44::encrypt(rumor.raw, key).value()}, test::alice());
  EXPECT_EQ(nip59::unseal(tagged_seal, test::bob()).error().code, nip59::ErrorCode::seal_has_tags);
  // A signed event where a rumor should be.
  const Event signed_inner = sign({kNow, 14, {}, "x"}, test::alice());
  const Event seal_of_signed = sign({kNow, 13, {}, nip44::encrypt(signed_inner.raw, key).value()}, test::alice());
  EXPECT_EQ(nip59::unseal(seal_of_signed, test::bob()).error().code, nip59::ErrorCode::bad_inner_event);
  // Wrong kinds.
  EXPECT_EQ(nip59::unwrap(signed_inner, test::bob()).error().code, nip59::ErrorCode::wrong_kind);
  EXPECT_EQ(nip59::unseal(signed_inner, test::bob()).error().code, nip59::ErrorCode::wrong_kind);
  // A wrap whose content is a kind 1 instead of a seal.
  const Event wrap_of_note = nip59::gift_wrap(signed_inner, bob, kNow);
  EXPECT_EQ(nip59::unwrap(wrap_of_note, test::bob()).error().code, nip59::ErrorCode::wrong_kind);
  // A tampered wrap.
  Event tampered = nip59::wrap_for(rumor, test::alice(), bob, kNow);
  tampered.content[10] = tampered.content[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(nip59::unwrap(tampered, test::bob()).error().code, nip59::ErrorCode::bad_signature);
}
