// The one DNS-label rule: what a relay's subdomain may be.
#include "marina/core/dns_label.hpp"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace marina::core {
namespace {

TEST(DnsLabel, AcceptsLowerCaseLettersDigitsAndInnerHyphens) {
  for (const std::string& label : std::vector<std::string>{"a", "9", "my-relay-1", "a--b", std::string(63, 'x')})
    EXPECT_TRUE(is_dns_label(label)) << label;
}

TEST(DnsLabel, NamesTheFirstRuleBroken) {
  EXPECT_EQ(dns_label_fault(""), DnsLabelFault::empty);
  EXPECT_EQ(dns_label_fault(std::string(64, 'x')), DnsLabelFault::too_long);
  EXPECT_EQ(dns_label_fault("-" + std::string(63, 'x')), DnsLabelFault::too_long) << "length is checked first";
  EXPECT_EQ(dns_label_fault("a_b"), DnsLabelFault::bad_character);
  EXPECT_EQ(dns_label_fault("a.b"), DnsLabelFault::bad_character) << "one label, not a name";
  EXPECT_EQ(dns_label_fault("sp ace"), DnsLabelFault::bad_character);
  EXPECT_EQ(dns_label_fault("caf\xc3\xa9"), DnsLabelFault::bad_character);
  EXPECT_EQ(dns_label_fault("Relay"), DnsLabelFault::bad_character) << "callers lower-case first";
  EXPECT_EQ(dns_label_fault("-a_b"), DnsLabelFault::bad_character) << "characters before hyphens";
  EXPECT_EQ(dns_label_fault("-abc"), DnsLabelFault::edge_hyphen);
  EXPECT_EQ(dns_label_fault("abc-"), DnsLabelFault::edge_hyphen);
  EXPECT_EQ(dns_label_fault("-"), DnsLabelFault::edge_hyphen);
}

}  // namespace
}  // namespace marina::core
