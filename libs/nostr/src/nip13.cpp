#include "marina/nostr/nip13.hpp"

#include <algorithm>
#include <bit>
#include <charconv>

namespace marina::nostr::nip13 {

int difficulty(const EventId& id) noexcept {
  int bits = 0;
  for (std::uint8_t b : id.bytes) {
    if (b == 0) {
      bits += 8;
      continue;
    }
    return bits + std::countl_zero(b);
  }
  return bits;
}

std::optional<int> committed_target(const Event& e) noexcept {
  for (const Tag& t : e.tags) {
    if (t.empty() || t[0] != "nonce") continue;
    // Only the first nonce tag counts: it is the one a miner updates.
    if (t.size() < 3) return std::nullopt;
    const std::string& s = t[2];
    int v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || v < 0 || v > 256) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

int effective_difficulty(const Event& e) noexcept {
  const int actual = difficulty(e.id);
  const auto target = committed_target(e);
  return target ? std::min(actual, *target) : actual;
}

}  // namespace marina::nostr::nip13
