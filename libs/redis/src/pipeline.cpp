#include "marina/redis/pipeline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>

namespace marina::redis {

namespace asio = boost::asio;

namespace {

// Shared with the completions, which may outlive a cancelled caller.
struct Pending {
  explicit Pending(asio::any_io_executor ex, std::size_t n)
      : replies(n), done(std::move(ex), asio::steady_timer::time_point::max()), left(n) {}
  std::vector<Reply> replies;
  std::exception_ptr failure;
  asio::steady_timer done;  // cancelled when the last reply is in
  std::size_t left;
};

}  // namespace

asio::awaitable<std::vector<Reply>> pipeline(Client& client, std::vector<Command> commands) {
  if (commands.empty()) co_return std::vector<Reply>{};
  // Every completion runs on this coroutine's executor (a strand), so the
  // counter needs no lock; and each spawned command starts on it in spawn
  // order, so the client receives the commands in this order.
  auto ex = co_await asio::this_coro::executor;
  auto pending = std::make_shared<Pending>(ex, commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    auto on_reply = [pending, i](std::exception_ptr e, Reply reply) {
      if (e && !pending->failure) pending->failure = e;
      pending->replies[i] = std::move(reply);
      if (--pending->left == 0) pending->done.cancel();
    };
    asio::co_spawn(ex, client.command(std::move(commands[i])), std::move(on_reply));
  }
  if (pending->left > 0) co_await pending->done.async_wait(asio::as_tuple(asio::use_awaitable));
  // The wait also ends when the caller is cancelled (the service stopping).
  if (pending->left > 0) throw boost::system::system_error(asio::error::operation_aborted);
  if (pending->failure) std::rethrow_exception(pending->failure);
  co_return std::move(pending->replies);
}

}  // namespace marina::redis
