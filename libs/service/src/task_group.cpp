#include "task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace marina::service::detail {

namespace asio = boost::asio;
using Strand = asio::strand<asio::io_context::executor_type>;

struct GroupTask {
  GroupTask(std::string n, Strand s) : name(std::move(n)), strand(std::move(s)) {}
  std::string name;
  Strand strand;
  asio::cancellation_signal cancel;  // emitted on `strand` only
  bool cancelled_by_group = false;   // on the group's strand
};

struct TaskGroupState {
  TaskGroupState(asio::io_context& io_, TaskGroup::OnExit exit)
      : io(io_), strand(asio::make_strand(io_)), done(strand), on_exit(std::move(exit)) {}
  asio::io_context& io;
  Strand strand;
  std::set<std::shared_ptr<GroupTask>> running;  // on `strand`
  asio::steady_timer done;                  // cancelled when `running` empties
  TaskGroup::OnExit on_exit;

  // On `strand`.
  void cancel_all() {
    for (const auto& t : running) {
      t->cancelled_by_group = true;
      asio::post(t->strand, [t] { t->cancel.emit(asio::cancellation_type::terminal); });
    }
  }
};

TaskGroup::TaskGroup(asio::io_context& io, OnExit on_exit)
    : state_(std::make_shared<TaskGroupState>(io, std::move(on_exit))) {}

void TaskGroup::spawn(std::string name, asio::awaitable<void> task) {
  auto s = state_;
  auto t = std::make_shared<GroupTask>(std::move(name), asio::make_strand(s->io));
  // Registered on the group's strand before the task can possibly finish on its own.
  asio::post(s->strand, [s, t, task = std::move(task)]() mutable {
    s->running.insert(t);
    asio::co_spawn(t->strand, std::move(task),
                   asio::bind_cancellation_slot(t->cancel.slot(), [s, t](std::exception_ptr e) {
                     asio::post(s->strand, [s, t, e] {
                       s->running.erase(t);
                       if (s->on_exit) s->on_exit(t->name, t->cancelled_by_group ? nullptr : e);
                       if (s->running.empty()) s->done.cancel();
                     });
                   }));
  });
}

void TaskGroup::cancel_all() {
  auto s = state_;
  asio::post(s->strand, [s] { s->cancel_all(); });
}

namespace {

asio::awaitable<std::size_t> join_on_strand(std::shared_ptr<TaskGroupState> s,
                                            std::chrono::steady_clock::time_point deadline,
                                            std::chrono::milliseconds after_cancel) {
  if (!s->running.empty()) {
    s->done.expires_at(deadline);
    co_await s->done.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (s->running.empty()) co_return 0;
  s->cancel_all();
  s->done.expires_after(after_cancel);
  co_await s->done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return s->running.size();
}

}  // namespace

asio::awaitable<std::size_t> TaskGroup::join(std::chrono::steady_clock::time_point deadline,
                                             std::chrono::milliseconds after_cancel) {
  co_return co_await asio::co_spawn(state_->strand, join_on_strand(state_, deadline, after_cancel),
                                    asio::use_awaitable);
}

}  // namespace marina::service::detail
