#pragma once
// Signed events made before the clock starts, so the timed part only sends.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "marina/nostr/keys.hpp"

namespace marina::load {

struct PreparedEvent {
  std::string id;        // hex
  std::string raw;       // the event's JSON
  std::string message;   // ["EVENT",<raw>]
  std::size_t author = 0;  // index into the keys
};

// Key i is derived from `seed` and i, so a later run (a query naming
// authors) can know the authors an earlier run (the fill) published as.
std::vector<nostr::SecretKey> make_keys(std::size_t n, const std::string& seed);

// `count` kind-1 events, round robin over `keys`, each `bytes` of JSON
// (content padded to fit), created now (or, with `span_seconds`, spread
// evenly over that many seconds up to now, oldest first), tagged
// ["t","bench"] except every hundredth, tagged ["t","x"] (a rare tag for #t
// queries); signed on all cores.
std::vector<PreparedEvent> make_events(std::size_t count, const std::vector<nostr::SecretKey>& keys, std::size_t bytes,
                                       std::int64_t span_seconds = 0);

}  // namespace marina::load
