#include "marina/testing/pg_server.hpp"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "child_process.hpp"
#include "marina/testing/free_port.hpp"
#include "marina/testing/temp_dir.hpp"
#include "pg_admin.hpp"

namespace marina::testing {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);

// MARINA_PG_BIN (as scripts/platform.sh), else the newest Debian cluster
// binaries, else whatever is on PATH.
std::string pg_program(const std::string& name) {
  if (const char* dir = std::getenv("MARINA_PG_BIN"); dir != nullptr && *dir != '\0')
    return detail::find_program(std::string(dir) + "/" + name);
  int best_version = -1;
  std::string best;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    auto candidate = entry.path() / "bin" / name;
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && std::filesystem::exists(candidate)) {
      best_version = version;
      best = candidate.string();
    }
  }
  return best.empty() ? detail::find_program(name) : best;
}

}  // namespace

struct PgServer::State {
  TempDir dir{"marina-pg"};
  std::uint16_t port = free_port();
  std::string data = (dir.path() / "data").string();
  std::string log = (dir.path() / "postgres.log").string();
  detail::ChildProcess process;

  std::string admin_url() const { return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres"; }

  detail::SpawnOptions options(std::vector<std::string> argv) const {
    return detail::SpawnOptions{std::move(argv), log, dir.path().string(), std::string("postgres")};
  }

  void init() {
    detail::give_to_user(dir.path().string(), "postgres");
    detail::run_to_completion(options({pg_program("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                       "--locale=C", "--no-sync"}),
                              kStartTimeout);
  }

  // One attempt; false when the process exited (e.g. someone took the port).
  bool launch() {
    process = detail::ChildProcess(options({pg_program("postgres"), "-D", data, "-p", std::to_string(port), "-k",
                                            dir.path().string(), "-c", "listen_addresses=127.0.0.1", "-c",
                                            "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200"}));
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (detail::pg_accepting(admin_url() + "?connect_timeout=2")) return true;
      if (!process.running()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    process.kill_group();
    throw std::runtime_error("PostgreSQL did not accept connections in time; log:\n" + detail::log_tail(log));
  }
};

PgServer::PgServer() : state_(std::make_unique<State>()) {
  state_->init();
  // The port was free a moment ago; if another process took it since, take another.
  for (int attempt = 0; !state_->launch(); ++attempt) {
    if (attempt == 2) throw std::runtime_error("PostgreSQL did not start; log:\n" + detail::log_tail(state_->log));
    state_->port = free_port();
  }
  detail::create_database(state_->admin_url(), "marina_test");
}

PgServer::~PgServer() {
  try {
    stop();
  } catch (...) {
    // The directory goes anyway; ChildProcess kills whatever is left.
  }
}

std::uint16_t PgServer::port() const { return state_->port; }

std::string PgServer::url() const { return url("marina_test"); }

std::string PgServer::url(const std::string& database) const {
  return detail::with_database(state_->admin_url(), database);
}

std::string PgServer::create_database(const std::string& name) const {
  detail::create_database(state_->admin_url(), name);
  return url(name);
}

void PgServer::stop() {
  // SIGINT is PostgreSQL's "fast" shutdown: roll back and disconnect clients.
  state_->process.terminate(SIGINT, kStopTimeout);
}

void PgServer::start() {
  if (state_->process.running()) return;
  if (!state_->launch())
    throw std::runtime_error("PostgreSQL did not restart; log:\n" + detail::log_tail(state_->log));
}

void PgServer::kill() {
  // Backends are session leaders of their own (PostgreSQL calls setsid), so a
  // SIGKILL to the postmaster's group would miss them; a backend that lives on
  // would keep serving its client and block the restart. Freeze the
  // postmaster so it forks no more, kill its children, then it.
  pid_t postmaster = state_->process.pid();
  if (postmaster <= 0) return;
  ::kill(postmaster, SIGSTOP);
  auto children = detail::children_of(postmaster);
  for (pid_t child : children) ::kill(child, SIGKILL);
  state_->process.kill_group();
  detail::wait_until_gone(children, kStopTimeout);
}

bool PgServer::running() const { return state_->process.running(); }

}  // namespace marina::testing
