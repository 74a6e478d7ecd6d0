#pragma once
// FUZZ_CHECK: an invariant a fuzz target asserts. Failing aborts, which
// libFuzzer reports as a crash and saves the input (assert() would vanish
// in release builds).
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)
