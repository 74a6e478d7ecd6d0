#include "marina/metrics/process.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace marina::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The fields of /proc/self/stat after the command name (which may contain
// spaces and parentheses, so parsing starts after the last ')').
// Index 0 here is field 3 ("state") of proc(5).
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  std::vector<std::string> out;
  if (close == std::string::npos) return out;
  std::istringstream rest(line.substr(close + 1));
  for (std::string f; rest >> f;) out.push_back(f);
  return out;
}

double stat_field(std::size_t proc5_index) {
  auto f = stat_fields();
  std::size_t i = proc5_index - 3;
  if (i >= f.size()) return kNaN;
  return std::stod(f[i]);
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double v = kNaN;
      in >> v;
      return v;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return kNaN;
}

double ticks_per_second() { return static_cast<double>(sysconf(_SC_CLK_TCK)); }

}  // namespace

void register_process_metrics(Registry& registry) {
  registry.callback_counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", [] {
    return (stat_field(14) + stat_field(15)) / ticks_per_second();
  });
  registry.callback_gauge("process_resident_memory_bytes", "Resident memory size in bytes.", [] {
    return stat_field(24) * static_cast<double>(sysconf(_SC_PAGESIZE));
  });
  registry.callback_gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                          [] { return stat_field(23); });
  registry.callback_gauge("process_open_fds", "Number of open file descriptors.", [] {
    std::error_code ec;
    double n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
    // The iterator's own descriptor is counted too; it is closed again right after.
    return ec ? kNaN : n - 1;
  });
  registry.callback_gauge("process_max_fds", "Maximum number of open file descriptors.", [] {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kNaN;
    return static_cast<double>(rl.rlim_cur);
  });
  // Computed once: the start time does not change.
  double start = boot_time_seconds() + stat_field(22) / ticks_per_second();
  registry.callback_gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                          [start] { return start; });
}

}  // namespace marina::metrics
