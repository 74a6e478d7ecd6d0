#pragma once
// Coroutines started together that can be awaited together, with a deadline
// after which the ones still running are cancelled. Each runs on its own strand
// (the io_context may have several threads); the bookkeeping has its own.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <set>
#include <string>

namespace marina::service::detail {

struct TaskGroupState;

class TaskGroup {
 public:
  // Called on the group's strand when a task ends: its name and its exception
  // (null when it returned normally, or when it was cancelled by the group).
  using OnExit = std::function<void(const std::string& name, std::exception_ptr error)>;

  explicit TaskGroup(boost::asio::io_context& io, OnExit on_exit = {});

  void spawn(std::string name, boost::asio::awaitable<void> task);

  // Emits terminal cancellation to every running task.
  void cancel_all();

  // Waits until every task has ended or `deadline` passes; then cancels the rest
  // and waits up to `after_cancel` more. Returns how many are still running.
  boost::asio::awaitable<std::size_t> join(std::chrono::steady_clock::time_point deadline,
                                           std::chrono::milliseconds after_cancel);

 private:
  std::shared_ptr<TaskGroupState> state_;
};

}  // namespace marina::service::detail
