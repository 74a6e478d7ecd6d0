// marina-load ndjson: signed events as NDJSON on stdout, for tests that need
// many (an import of 100,000 events): libsecp256k1 on every core signs them in
// seconds, where a JavaScript signer takes minutes.
#include <cstdio>

#include "events.hpp"
#include "modes.hpp"

namespace marina::load {

void print_ndjson(const Options& o) {
  const auto keys = make_keys(o.authors, o.seed);
  const auto events = make_events(o.count, keys, o.event_bytes, o.span_days * 86400);
  for (const PreparedEvent& e : events) {
    std::fwrite(e.raw.data(), 1, e.raw.size(), stdout);
    std::fputc('\n', stdout);
  }
  std::fflush(stdout);
}

}  // namespace marina::load
