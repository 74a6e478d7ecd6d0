#pragma once
#include <cstdint>
#include <string>

namespace marina::testing::detail {

// True when the Redis server at host:port answers PING with PONG (not, say,
// -LOADING while it replays its append-only file).
bool redis_answers(const std::string& host, std::uint16_t port);

}  // namespace marina::testing::detail
