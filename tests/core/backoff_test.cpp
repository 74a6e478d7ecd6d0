// core::Backoff: min, doubling, capped at max, reset.
#include "marina/core/backoff.hpp"

#include <gtest/gtest.h>

using marina::core::Backoff;
using namespace std::chrono_literals;

TEST(Backoff, DoublesFromMinUpToMax) {
  Backoff b(100ms, 1000ms);
  EXPECT_EQ(b.next(), 100ms);
  EXPECT_EQ(b.next(), 200ms);
  EXPECT_EQ(b.next(), 400ms);
  EXPECT_EQ(b.next(), 800ms);
  EXPECT_EQ(b.next(), 1000ms) << "capped, not 1600";
  EXPECT_EQ(b.next(), 1000ms);
}

TEST(Backoff, ResetStartsOverAtMin) {
  Backoff b(50ms, 2000ms);
  b.next();
  b.next();
  b.next();
  b.reset();
  EXPECT_EQ(b.next(), 50ms);
  EXPECT_EQ(b.next(), 100ms);
}

TEST(Backoff, AMaxBelowMinIsMin) {
  Backoff b(300ms, 100ms);
  EXPECT_EQ(b.max(), 300ms);
  EXPECT_EQ(b.next(), 300ms);
  EXPECT_EQ(b.next(), 300ms);
}

TEST(Backoff, AHugeCapDoesNotOverflow) {
  Backoff b(1ms, std::chrono::milliseconds::max());
  std::chrono::milliseconds last{0};
  for (int i = 0; i < 200; ++i) {
    const auto d = b.next();
    EXPECT_GE(d, last) << "attempt " << i;
    last = d;
  }
  EXPECT_EQ(last, std::chrono::milliseconds::max());
}
