// HOSTING_ADMIN_PUBKEYS: hex in either case and npub both name an admin; a
// typo stops the service instead of silently demoting someone.
#include "admin_keys.hpp"

#include <gtest/gtest.h>

#include <cctype>

#include "marina/nostr/keys.hpp"
#include "marina/nostr/nip19.hpp"
#include "token_helpers.hpp"

namespace marina::auth {
namespace {

const nostr::PublicKey kAlice = nostr::public_key(testing::alice());
const nostr::PublicKey kAdmin = nostr::public_key(testing::admin());

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST(AdminKeys, AcceptsHexAndNpub) {
  auto keys = AdminKeys::parse({kAlice.hex(), nostr::nip19::encode_npub(kAdmin)});
  EXPECT_EQ(keys.size(), 2u);
  EXPECT_TRUE(keys.contains(kAlice));
  EXPECT_TRUE(keys.contains(kAdmin));
  EXPECT_FALSE(keys.contains(nostr::public_key(nostr::SecretKey::generate())));
}

TEST(AdminKeys, UppercaseHexIsTheSameKey) {
  EXPECT_TRUE(AdminKeys::parse({upper(kAdmin.hex())}).contains(kAdmin));
}

TEST(AdminKeys, EmptyListHasNoAdmins) { EXPECT_EQ(AdminKeys::parse({}).size(), 0u); }

TEST(AdminKeys, MalformedEntryIsNamed) {
  try {
    AdminKeys::parse({kAlice.hex(), "npub1notakey"});
    FAIL() << "a malformed npub was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("entry 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(AdminKeys::parse({kAlice.hex().substr(1)}), std::invalid_argument);
  EXPECT_THROW(AdminKeys::parse({nostr::nip19::encode_note(nostr::EventId{})}), std::invalid_argument);
}

}  // namespace
}  // namespace marina::auth
