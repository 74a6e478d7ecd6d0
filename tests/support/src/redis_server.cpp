#include "marina/testing/redis_server.hpp"

#include <signal.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "child_process.hpp"
#include "marina/testing/free_port.hpp"
#include "marina/testing/temp_dir.hpp"
#include "redis_ping.hpp"

namespace marina::testing {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(15);

std::string redis_program() {
  const char* path = std::getenv("MARINA_REDIS_SERVER");
  return detail::find_program(path != nullptr && *path != '\0' ? path : "redis-server");
}

}  // namespace

struct RedisServer::State {
  TempDir dir{"marina-redis"};
  std::uint16_t port = free_port();
  std::string log = (dir.path() / "redis.log").string();
  detail::ChildProcess process;

  // One attempt; false when the process exited (e.g. someone took the port).
  bool launch() {
    process = detail::ChildProcess(detail::SpawnOptions{
        {redis_program(), "--port", std::to_string(port), "--bind", "127.0.0.1", "--dir", dir.path().string(),
         "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no"},
        log,
        dir.path().string(),
        std::nullopt});
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (detail::redis_answers("127.0.0.1", port)) return true;
      if (!process.running()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    process.kill_group();
    throw std::runtime_error("Redis did not answer in time; log:\n" + detail::log_tail(log));
  }
};

RedisServer::RedisServer() : state_(std::make_unique<State>()) {
  // The port was free a moment ago; if another process took it since, take another.
  for (int attempt = 0; !state_->launch(); ++attempt) {
    if (attempt == 2) throw std::runtime_error("Redis did not start; log:\n" + detail::log_tail(state_->log));
    state_->port = free_port();
  }
}

RedisServer::~RedisServer() { stop(); }

std::uint16_t RedisServer::port() const { return state_->port; }

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(state_->port); }

void RedisServer::stop() { state_->process.terminate(SIGTERM, kStopTimeout); }

void RedisServer::start() {
  if (state_->process.running()) return;
  if (!state_->launch()) throw std::runtime_error("Redis did not restart; log:\n" + detail::log_tail(state_->log));
}

void RedisServer::kill() { state_->process.kill_group(); }

bool RedisServer::running() const { return state_->process.running(); }

}  // namespace marina::testing
