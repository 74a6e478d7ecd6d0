#pragma once
// One hiredis asynchronous context driven by Asio, and everything that keeps
// it alive: connecting (with a timeout), AUTH/SELECT, reconnecting with
// backoff, failing commands cleanly when there is no connection.
//
// hiredis is not thread-safe, so every touch of the context happens on one
// strand. hiredis owns the socket; Asio waits on a dup() of it, which this
// class closes when hiredis lets go of the context (the cleanup hook).
#include <hiredis/async.h>

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "marina/core/backoff.hpp"
#include "marina/redis/options.hpp"
#include "marina/redis/reply.hpp"

namespace marina::redis::detail {

using Completion = boost::asio::any_completion_handler<void(std::exception_ptr, Reply)>;

// A command from submit() until its reply (or failure) is posted back.
struct PendingCommand {
  std::vector<std::string> args;
  // Empty for the connection's own AUTH/SELECT, whose replies are only logged.
  std::optional<boost::asio::executor_work_guard<boost::asio::any_io_executor>> caller;
  Completion completion;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::any_io_executor executor, Options options);
  ~Connection();

  void start();
  void submit(std::vector<std::string> args, boost::asio::any_io_executor caller, Completion completion);
  void close();
  bool connected() const { return connected_.load(); }

 private:
  // Everything below runs on strand_.
  void connect();
  void attach(const std::string& address);
  void issue(std::unique_ptr<PendingCommand> command);
  void send_handshake();
  void schedule_reconnect();
  void fail_waiting(const std::string& why);
  void arm_read();
  void arm_write();
  void on_context_gone();
  void note_down(const std::string& why);

  static void finish(std::unique_ptr<PendingCommand> command, std::exception_ptr error, Reply reply);

  // hiredis callbacks: noexcept, never let an exception through.
  static void hook_add_read(void* self) noexcept;
  static void hook_del_read(void* self) noexcept;
  static void hook_add_write(void* self) noexcept;
  static void hook_del_write(void* self) noexcept;
  static void hook_cleanup(void* self) noexcept;
  static void on_connect(const redisAsyncContext* ac, int status) noexcept;
  static void on_reply(redisAsyncContext* ac, void* reply, void* privdata) noexcept;

  const Options options_;
  const std::string where_;  // host:port/db for logs and messages
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer reconnect_timer_;

  redisAsyncContext* ac_ = nullptr;
  std::uint64_t generation_ = 0;  // one per attached context; stale waits compare it
  bool want_read_ = false;
  bool want_write_ = false;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool resolving_ = false;
  bool closed_ = false;
  bool dying_ = false;  // in the destructor: complete nothing, schedule nothing
  bool down_reported_ = false;
  std::deque<std::unique_ptr<PendingCommand>> waiting_for_address_;
  core::Backoff reconnect_backoff_;
  std::atomic<bool> connected_{false};
};

}  // namespace marina::redis::detail
