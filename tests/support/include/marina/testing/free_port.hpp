#pragma once
#include <cstdint>

namespace marina::testing {

// A TCP port on 127.0.0.1 that nothing listens on right now: the kernel picks
// it (bind to port 0), we release it and the caller's server takes it. Another
// process could grab it in between; servers here fail loudly if that happens.
std::uint16_t free_port();

}  // namespace marina::testing
