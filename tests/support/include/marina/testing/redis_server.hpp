#pragma once
// A private Redis server for tests on a free port in a temporary directory,
// with the append-only file on so stop()/start() (same port, same directory)
// keeps the data, the way a production restart does. The destructor stops it
// and removes the directory.
#include <cstdint>
#include <memory>
#include <string>

namespace marina::testing {

class RedisServer {
 public:
  // Starts the server; throws with the server log's tail when it cannot.
  RedisServer();
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::uint16_t port() const;
  // redis://127.0.0.1:<port>
  std::string url() const;

  // SIGTERM: Redis flushes the append-only file and exits; waits for it.
  void stop();
  // Starts again on the same port and directory; waits until it answers PING.
  void start();
  // SIGKILL: a crash.
  void kill();
  bool running() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace marina::testing
