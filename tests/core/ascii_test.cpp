// ASCII case folding: A-Z only, whatever the locale, UTF-8 untouched.
#include "marina/core/ascii.hpp"

#include <gtest/gtest.h>

namespace marina::core {
namespace {

TEST(Ascii, LowersOnlyAToZ) {
  static_assert(ascii_lower('Q') == 'q');
  EXPECT_EQ(ascii_lower("Relay.EXAMPLE:443/Path"), "relay.example:443/path");
  EXPECT_EQ(ascii_lower("@[`{"), "@[`{") << "the neighbours of A-Z and a-z stay";
  EXPECT_EQ(ascii_lower("CAF\xC3\x89"), "caf\xC3\x89") << "UTF-8 bytes pass through";
  EXPECT_EQ(ascii_lower(""), "");
}

TEST(Ascii, EqualsIgnoringCase) {
  EXPECT_TRUE(ascii_iequals("Content-Type", "content-TYPE"));
  EXPECT_FALSE(ascii_iequals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(ascii_iequals("\xC3\x89", "\xC3\xA9")) << "no folding beyond ASCII";
  EXPECT_TRUE(ascii_iequals("", ""));
}

}  // namespace
}  // namespace marina::core
