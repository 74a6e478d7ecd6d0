// URL %XX escapes, as request targets and connection URLs carry them.
#include "marina/core/percent_decode.hpp"

#include <gtest/gtest.h>

namespace marina::core {
namespace {

TEST(Url, PercentDecoding) {
  EXPECT_EQ(percent_decode("a%2Fb%20c"), "a/b c");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%e2%9c%93"), "\xe2\x9c\x93");
}

TEST(Url, PercentDecodingTakesEitherCaseAndKeepsWhatIsNotAnEscape) {
  EXPECT_EQ(percent_decode("p%3Aw%40rd%2f"), "p:w@rd/");
  EXPECT_EQ(percent_decode("%41"), "A") << "an escape that ends the text";
  EXPECT_EQ(percent_decode("%zz%4g"), "%zz%4g");
}

}  // namespace
}  // namespace marina::core
