#pragma once
// ASSERT_* returns from the enclosing function, which a coroutine cannot do;
// these report like EXPECT_* and then co_return (awaitable<void> bodies only).
// The arguments are evaluated twice: pass plain expressions.
#include <gtest/gtest.h>

#define MARINA_CO_ASSERT_EQ(a, b) \
  do {                            \
    EXPECT_EQ(a, b);              \
    if (!((a) == (b))) co_return; \
  } while (0)

#define MARINA_CO_ASSERT_TRUE(condition) \
  do {                                   \
    EXPECT_TRUE(condition);              \
    if (!(condition)) co_return;         \
  } while (0)
