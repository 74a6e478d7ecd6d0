#pragma once
// Wall-clock time as Nostr and Marina's stream contracts count it: unix
// seconds (created_at, NIP-40, NIP-98) and unix milliseconds (receive times,
// latencies across processes).
#include <chrono>
#include <cstdint>

namespace marina::core {

inline std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace marina::core
