#pragma once
// A server process started by the harness: fork + exec, optionally as another
// user (PostgreSQL refuses to run as root), in its own process group so a
// SIGKILL reaches the server's own children too, and with a parent-death
// signal so a crashed or timed-out test binary leaves nothing running.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace marina::testing::detail {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program path
  std::string log_path;           // stdout and stderr are appended here
  std::string workdir;            // the child's current directory
  std::optional<std::string> run_as;  // user name; only honoured when we are root
};

class ChildProcess {
 public:
  ChildProcess() = default;
  explicit ChildProcess(const SpawnOptions& options);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills the process group if it is still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // False once the process has exited (and been reaped).
  bool running();
  // Exit status (as from waitpid) once exited within `timeout`, else nullopt.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  // Sends `sig` to the process; after `grace` without exiting, SIGKILLs the group.
  void terminate(int sig, std::chrono::milliseconds grace);
  // SIGKILL to the whole process group, then reap.
  void kill_group();

 private:
  pid_t pid_ = -1;
};

// The processes whose parent is `parent` (from /proc).
std::vector<pid_t> children_of(pid_t parent);

// Waits until none of `pids` is alive (a zombie counts as gone: it holds no
// resources, and an init that does not reap would keep it forever).
void wait_until_gone(const std::vector<pid_t>& pids, std::chrono::milliseconds timeout);

// Runs a program to completion; throws std::runtime_error (with the log tail)
// when it does not exit 0.
void run_to_completion(const SpawnOptions& options, std::chrono::milliseconds timeout);

// The last `max_bytes` of a log file, for error messages.
std::string log_tail(const std::string& path, std::size_t max_bytes = 2000);

// True when the harness runs as root and must drop to `user` for a server.
bool must_drop_privileges();

// The path of an executable: `name` itself when it contains a slash, else the
// first match in $PATH. Throws when there is none.
std::string find_program(const std::string& name);

// Recursively chowns `path` to `user` (only when root).
void give_to_user(const std::string& path, const std::string& user);

}  // namespace marina::testing::detail
