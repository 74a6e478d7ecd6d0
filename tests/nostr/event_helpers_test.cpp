// Kind classes, tag lookups, NIP-13 difficulty and NIP-40 expiration.
#include <gtest/gtest.h>

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/nip13.hpp"
#include "marina/nostr/nip40.hpp"
#include "test_support.hpp"

using namespace marina::nostr;

TEST(KindClass, Nip01Ranges) {
  EXPECT_EQ(kind_class(0), KindClass::replaceable);
  EXPECT_EQ(kind_class(1), KindClass::regular);
  EXPECT_EQ(kind_class(2), KindClass::regular);
  EXPECT_EQ(kind_class(3), KindClass::replaceable);
  EXPECT_EQ(kind_class(4), KindClass::regular);
  EXPECT_EQ(kind_class(44), KindClass::regular);
  EXPECT_EQ(kind_class(45), KindClass::regular);  // unclassified: stored like regular
  EXPECT_EQ(kind_class(999), KindClass::regular);
  EXPECT_EQ(kind_class(1000), KindClass::regular);
  EXPECT_EQ(kind_class(9999), KindClass::regular);
  EXPECT_EQ(kind_class(10000), KindClass::replaceable);
  EXPECT_EQ(kind_class(19999), KindClass::replaceable);
  EXPECT_EQ(kind_class(20000), KindClass::ephemeral);
  EXPECT_EQ(kind_class(29999), KindClass::ephemeral);
  EXPECT_EQ(kind_class(30000), KindClass::addressable);
  EXPECT_EQ(kind_class(39999), KindClass::addressable);
  EXPECT_EQ(kind_class(40000), KindClass::regular);
  EXPECT_EQ(kind_class(65535), KindClass::regular);
  EXPECT_EQ(to_string(KindClass::addressable), "addressable");
}

TEST(Tags, FirstValueAndDTag) {
  Event e;
  e.kind = 30023;
  EXPECT_EQ(e.d_tag(), "");  // no d tag: the empty identifier
  EXPECT_FALSE(e.first_tag_value("d"));
  e.tags = {{"title", "x"}, {"d"}, {"d", "second"}};
  ASSERT_TRUE(e.first_tag_value("d"));
  EXPECT_EQ(*e.first_tag_value("d"), "");  // the first d tag wins, even valueless
  e.tags = {{"title", "x"}, {"d", "my-article", "extra"}, {"d", "other"}};
  EXPECT_EQ(e.d_tag(), "my-article");
  EXPECT_EQ(e.first_tag_value("title"), "x");
  EXPECT_FALSE(e.first_tag_value("tit"));
  EXPECT_EQ(e.kind_class(), KindClass::addressable);
}

TEST(Nip13, DifficultyCountsLeadingZeroBits) {
  EXPECT_EQ(nip13::difficulty(*EventId::from_hex("000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d")), 36);
  EXPECT_EQ(nip13::difficulty(*EventId::from_hex("002f" + std::string(60, 'f'))), 10);
  EXPECT_EQ(nip13::difficulty(*EventId::from_hex("8" + std::string(63, '0'))), 0);
  EXPECT_EQ(nip13::difficulty(*EventId::from_hex("7" + std::string(63, 'f'))), 1);
  EXPECT_EQ(nip13::difficulty(EventId{}), 256);
}

TEST(Nip13, ExampleNoteFromTheNip) {
  auto e = parse_event(test::json_block_containing(test::nip_text("13"), "000006d8c378af17"));
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(nip13::difficulty(e->id), 21);
  EXPECT_EQ(nip13::committed_target(*e), 20);
  EXPECT_EQ(nip13::effective_difficulty(*e), 20);  // capped by the commitment
}

TEST(Nip13, CommittedTargetParsing) {
  Event e;
  EXPECT_FALSE(nip13::committed_target(e));
  e.tags = {{"nonce", "1"}};
  EXPECT_FALSE(nip13::committed_target(e));
  e.tags = {{"nonce", "1", "x"}};
  EXPECT_FALSE(nip13::committed_target(e));
  e.tags = {{"nonce", "1", "-3"}};
  EXPECT_FALSE(nip13::committed_target(e));
  e.tags = {{"nonce", "1", "257"}};
  EXPECT_FALSE(nip13::committed_target(e));
  e.tags = {{"nonce", "1", "30"}, {"nonce", "2", "40"}};
  EXPECT_EQ(nip13::committed_target(e), 30);
  e.id = *EventId::from_hex("0000" + std::string(60, 'f'));  // 16 bits
  EXPECT_EQ(nip13::effective_difficulty(e), 16);
  e.tags.clear();
  EXPECT_EQ(nip13::effective_difficulty(e), 16);
}

TEST(Nip40, Expiration) {
  Event e;
  EXPECT_FALSE(nip40::expiration(e));
  EXPECT_FALSE(nip40::is_expired(e, 1'000'000'000'000));
  e.tags = {{"expiration", "1600000000"}};
  EXPECT_EQ(nip40::expiration(e), 1600000000);
  EXPECT_FALSE(nip40::is_expired(e, 1599999999));
  EXPECT_TRUE(nip40::is_expired(e, 1600000000));  // expired at that second
  EXPECT_TRUE(nip40::is_expired(e, 1600000001));
  for (const char* bad : {"", "-5", "+5", "16e8", "1600000000.5", "abc", "99999999999999999999"}) {
    e.tags = {{"expiration", bad}};
    EXPECT_FALSE(nip40::expiration(e)) << bad;
    EXPECT_FALSE(nip40::is_expired(e, 2'000'000'000)) << bad;
  }
  e.tags = {{"expiration"}};
  EXPECT_FALSE(nip40::expiration(e));
}
