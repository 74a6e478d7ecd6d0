#include "marina/nostr/random.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace marina::nostr {

void random_bytes(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int length; fill in chunks for very large spans.
  while (!out.empty()) {
    const std::size_t n = std::min<std::size_t>(out.size(), INT_MAX);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
      throw std::runtime_error("OpenSSL RAND_bytes failed: no entropy available");
    out = out.subspan(n);
  }
}

std::uint64_t random_below(std::uint64_t bound) {
  if (bound == 0) throw std::invalid_argument("random_below: bound must be positive");
  // Reject draws from the incomplete last block of size `bound`.
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    std::uint64_t v = 0;
    random_bytes(std::span(reinterpret_cast<std::uint8_t*>(&v), sizeof v));
    if (v < limit) return v % bound;
  }
}

}  // namespace marina::nostr
