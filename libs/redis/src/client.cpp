#include "marina/redis/client.hpp"

#include <signal.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>

#include "connection.hpp"

namespace marina::redis {

namespace {

void ignore_sigpipe_once() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

// Fixed-window counter: the TTL is set when the key has none, so a key can
// never be left without one (even if an earlier EXPIRE was lost).
constexpr std::string_view kIncrExpire = R"(
local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n)";

}  // namespace

Client::Client(boost::asio::any_io_executor executor, Options options)
    : conn_(std::make_shared<detail::Connection>(std::move(executor), std::move(options))) {
  ignore_sigpipe_once();
  conn_->start();
}

Client::~Client() { conn_->close(); }

void Client::close() { conn_->close(); }

bool Client::connected() const { return conn_->connected(); }

boost::asio::awaitable<Reply> Client::command(std::vector<std::string> args) {
  auto caller = co_await boost::asio::this_coro::executor;
  // Named, not a temporary inside co_await: GCC 12 destroys a lambda temporary
  // of a co_await expression twice (here a shared_ptr: use after free).
  auto initiation = [conn = conn_, &args, caller](auto handler) {
    conn->submit(std::move(args), caller, std::move(handler));
  };
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(std::exception_ptr, Reply)>(
      initiation, boost::asio::use_awaitable);
}

boost::asio::awaitable<void> Client::ping() {
  auto reply = co_await command("PING");
  if (reply.as_string() != "PONG") throw ProtocolError("PING answered " + reply.describe());
}

boost::asio::awaitable<std::optional<std::string>> Client::get(std::string_view key) {
  auto reply = co_await command("GET", key);
  if (reply.is_nil()) co_return std::nullopt;
  co_return reply.as_string();
}

boost::asio::awaitable<std::int64_t> Client::del(const std::vector<std::string>& keys) {
  std::vector<std::string> args{"DEL"};
  args.insert(args.end(), keys.begin(), keys.end());
  co_return (co_await command(std::move(args))).as_integer();
}

boost::asio::awaitable<bool> Client::set_nx_ex(std::string_view key, std::string_view value, std::chrono::seconds ttl) {
  auto reply = co_await command("SET", key, value, "NX", "EX", std::to_string(ttl.count()));
  if (reply.is_nil()) co_return false;  // the key existed
  reply.as_string();                     // "OK", or throws on an error reply
  co_return true;
}

boost::asio::awaitable<std::int64_t> Client::incr_expire(std::string_view key, std::chrono::milliseconds ttl) {
  // Named vectors: GCC 12 rejects braced lists inside a co_await expression.
  std::vector<std::string> keys(1, std::string(key));
  std::vector<std::string> args(1, std::to_string(ttl.count()));
  auto reply = co_await eval(kIncrExpire, keys, args);
  co_return reply.as_integer();
}

boost::asio::awaitable<Reply> Client::eval(std::string_view script, const std::vector<std::string>& keys,
                                           const std::vector<std::string>& args) {
  std::vector<std::string> cmd{"EVAL", std::string(script), std::to_string(keys.size())};
  cmd.insert(cmd.end(), keys.begin(), keys.end());
  cmd.insert(cmd.end(), args.begin(), args.end());
  auto reply = co_await command(std::move(cmd));
  reply.throw_if_error();
  co_return reply;
}

}  // namespace marina::redis
