#pragma once
// An http::Server on 127.0.0.1:0 with its io_context running on background
// threads, stopped and joined when the test ends.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "marina/http/server.hpp"

namespace marina::http::testing {

class RunningServer {
 public:
  explicit RunningServer(Handler handler, ServerOptions options = {}, UpgradeHandler upgrade = {}, int threads = 2);
  ~RunningServer();

  std::uint16_t port() const { return port_; }
  Server& server() { return *server_; }
  boost::asio::io_context& io() { return io_; }

  // Starts server.stop(now + grace) on the server's threads.
  std::future<void> stop_async(std::chrono::milliseconds grace);
  void stop(std::chrono::milliseconds grace) { stop_async(grace).get(); }

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::optional<Server> server_;
  std::uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

// Polls `condition` every few milliseconds; false when `within` passes first.
template <typename F>
bool eventually(F condition, std::chrono::milliseconds within = std::chrono::seconds(3)) {
  auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace marina::http::testing
