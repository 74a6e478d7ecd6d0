#pragma once
// The load modes; each runs to completion (or its deadline) and returns its report.
#include "options.hpp"
#include "report.hpp"

namespace marina::load {

Report run_ingest(const Options& o);
Report run_direct(const Options& o);
Report run_query(const Options& o);
Report run_fanout(const Options& o);
Report run_idle(const Options& o);
// Not a load: signed events as NDJSON on stdout (test data for imports).
void print_ndjson(const Options& o);

}  // namespace marina::load
