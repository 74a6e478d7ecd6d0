#include "running_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>

#include "marina/http/upgrade.hpp"

namespace marina::http::testing {

namespace asio = boost::asio;

RunningServer::RunningServer(Handler handler, ServerOptions options, UpgradeHandler upgrade, int threads) {
  work_.emplace(io_.get_executor());
  server_.emplace(io_, std::move(handler), std::move(options));
  if (upgrade) server_->set_upgrade_handler(std::move(upgrade));
  port_ = server_->listen("127.0.0.1", 0);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

std::future<void> RunningServer::stop_async(std::chrono::milliseconds grace) {
  stopped_ = true;
  return asio::co_spawn(io_, server_->stop(std::chrono::steady_clock::now() + grace), asio::use_future);
}

RunningServer::~RunningServer() {
  if (!stopped_) stop(std::chrono::milliseconds(500));
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  server_.reset();
}

}  // namespace marina::http::testing
