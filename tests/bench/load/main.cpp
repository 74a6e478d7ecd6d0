// marina-load: load against a running Marina platform on this machine (see
// options.hpp for the modes). Bounded in count and time; loopback only.
#include <cstdio>
#include <exception>
#include <stdexcept>

#include "modes.hpp"
#include "options.hpp"

int main(int argc, char** argv) {
  using namespace marina::load;
  Options o;
  try {
    o = parse_options(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "marina-load: %s\n\n%s", e.what(), usage());
    return 2;
  }
  try {
    if (o.mode == "ndjson") {
      print_ndjson(o);
      return 0;
    }
    Report report = o.mode == "ingest"   ? run_ingest(o)
                    : o.mode == "direct" ? run_direct(o)
                    : o.mode == "query"  ? run_query(o)
                    : o.mode == "fanout" ? run_fanout(o)
                                         : run_idle(o);
    report.print(o.quiet);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "marina-load: %s\n", e.what());
    return 1;
  }
}
