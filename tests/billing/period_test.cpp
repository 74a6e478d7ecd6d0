// The billing calendar (periods from the anchor, short months clamped) and
// the one rounding rule (floor of price * remaining / length), exactly.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "period.hpp"

namespace marina::billing {
namespace {

std::int64_t utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  using namespace std::chrono;
  const sys_days date{year{y} / month{m} / day{d}};
  return date.time_since_epoch().count() * 86400 + h * 3600 + min * 60 + s;
}

TEST(BillingPeriod, MonthsAreCountedFromTheAnchorWithTheDayClampedInShortMonths) {
  const std::int64_t anchor = utc(2027, 1, 31, 10, 30, 15);
  EXPECT_EQ(add_months(anchor, 0), anchor);
  EXPECT_EQ(add_months(anchor, 1), utc(2027, 2, 28, 10, 30, 15)) << "February has no 31st: its last day";
  EXPECT_EQ(add_months(anchor, 2), utc(2027, 3, 31, 10, 30, 15)) << "from the anchor, not from 28 February";
  EXPECT_EQ(add_months(anchor, 3), utc(2027, 4, 30, 10, 30, 15));
  EXPECT_EQ(add_months(anchor, 13), utc(2028, 2, 29, 10, 30, 15)) << "a leap year's 29th";
  EXPECT_EQ(add_months(utc(2026, 12, 15), 1), utc(2027, 1, 15)) << "across a year";
}

TEST(BillingPeriod, PeriodAtFindsThePeriodHoldingAnInstant) {
  const std::int64_t anchor = utc(2027, 1, 31, 10);
  Period p = period_at(anchor, anchor);
  EXPECT_EQ(p.index, 0);
  EXPECT_EQ(p.start, anchor);
  EXPECT_EQ(p.end, utc(2027, 2, 28, 10));
  p = period_at(anchor, utc(2027, 2, 28, 10) - 1);
  EXPECT_EQ(p.index, 0) << "the end is exclusive";
  p = period_at(anchor, utc(2027, 2, 28, 10));
  EXPECT_EQ(p.index, 1);
  EXPECT_EQ(p.length(), 31 * 86400) << "28 February to 31 March";
  p = period_at(anchor, utc(2029, 7, 4));
  EXPECT_EQ(p.start, utc(2029, 6, 30, 10));
  EXPECT_EQ(p.end, utc(2029, 7, 31, 10));
  EXPECT_EQ(p.index, 29);
  EXPECT_EQ(period_at(anchor, anchor - 100).index, 0) << "before the anchor: the first period";
}

TEST(BillingPeriod, ProRataIsTheFloorOfPriceTimesRemainingOverLength) {
  const std::int64_t month = 31 * 86400;
  EXPECT_EQ(prorate(10'000'000, month, month), 10'000'000) << "a whole period is the whole price";
  EXPECT_EQ(prorate(10'000'000, 21 * 86400, month), 6'774'193) << "10,000 sats * 21/31 = 6,774,193.5 msats";
  EXPECT_EQ(prorate(50'000'000, 21 * 86400, month), 33'870'967);
  EXPECT_EQ(prorate(10'000'000, 1, month), 3) << "one second";
  EXPECT_EQ(prorate(10'000'000, 0, month), 0);
  EXPECT_EQ(prorate(10'000'000, -5, month), 0) << "remaining clamped at 0";
  EXPECT_EQ(prorate(10'000'000, month + 5, month), 10'000'000) << "and at the length";
  EXPECT_EQ(prorate(0, month, month), 0) << "free";
  EXPECT_EQ(prorate(1'000'000'000'000'000, month - 1, month), 999'999'626'642'771)
      << "the largest price: price * remaining overflows 64 bits, the answer is still exact";
}

TEST(BillingPeriod, AChargeAndItsCreditAtTheSameInstantCancelExactly) {
  const std::int64_t month = 30 * 86400;
  for (std::int64_t remaining : {1, 7, 12345, 1'000'001, 2'591'999}) {
    const std::int64_t up = prorate(50'000'000, remaining, month) - prorate(10'000'000, remaining, month);
    const std::int64_t down = prorate(10'000'000, remaining, month) - prorate(50'000'000, remaining, month);
    EXPECT_EQ(up + down, 0) << remaining;
  }
}

}  // namespace
}  // namespace marina::billing
