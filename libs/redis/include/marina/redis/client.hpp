#pragma once
// A Redis client for coroutines: one hiredis asynchronous connection driven
// by Asio, so commands from any number of coroutines are pipelined on it and
// their replies come back in order.
//
//   marina::redis::Client redis(executor, marina::redis::client_options(config));
//   marina::redis::Fields fields{{"v", "1"}, {"relay", relay_id}};
//   auto id = co_await redis.xadd("marina:events", fields, {.maxlen = 100000});
//   auto reply = co_await redis.command("HGET", "h", field);
//
// Connection loss: commands in flight fail with Unavailable; the client
// reconnects by itself with exponential backoff (Options::reconnect_min ..
// reconnect_max); commands issued while it is disconnected fail at once with
// Unavailable (callers retry; nothing queues up unbounded), and succeed again
// once Redis is back, with no restart of the service.
//
// Blocking reads (XREAD/XREADGROUP with BLOCK) hold the connection until they
// return: every command pipelined behind them waits too. Give blocking
// readers a Client of their own, never the one latency-sensitive commands use.
//
// Thread safety: any method may be called from any thread; a caller resumes
// on its own executor. Close (or destroy) the client before its executor's
// context is destroyed. Creating a Client ignores SIGPIPE process-wide
// (hiredis writes with write(2); a dropped connection must not kill the process).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "marina/redis/errors.hpp"
#include "marina/redis/options.hpp"
#include "marina/redis/reply.hpp"
#include "marina/redis/streams.hpp"

namespace marina::redis {

namespace detail {
class Connection;
}

class Client {
 public:
  // Starts connecting at once; runs its I/O on `executor` (through a strand).
  Client(boost::asio::any_io_executor executor, Options options);
  // close(), then the connection is released once its last operation ended.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Any command. An error reply is returned as a Reply of type error, not thrown.
  boost::asio::awaitable<Reply> command(std::vector<std::string> args);
  // command("SET", key, value): each argument is anything a string_view can
  // be made from. (GCC 12 rejects a braced list inside co_await, so
  // `co_await command({"SET", k, v})` does not compile: use this form, or a
  // named vector.)
  template <typename... Args>
    requires(sizeof...(Args) > 0 && (std::is_convertible_v<const Args&, std::string_view> && ...))
  boost::asio::awaitable<Reply> command(const Args&... args) {
    return command(std::vector<std::string>{std::string(std::string_view(args))...});
  }

  // The typed helpers below throw CommandError for an error reply and
  // ProtocolError for an unexpected shape.

  boost::asio::awaitable<void> ping();
  boost::asio::awaitable<std::optional<std::string>> get(std::string_view key);
  // Number of keys removed.
  boost::asio::awaitable<std::int64_t> del(const std::vector<std::string>& keys);
  // SET key value NX EX ttl: true when set, false when the key already existed.
  boost::asio::awaitable<bool> set_nx_ex(std::string_view key, std::string_view value, std::chrono::seconds ttl);
  // INCR key, giving the key a TTL if it has none (fixed-window counters):
  // atomic, one round trip. Returns the new value.
  boost::asio::awaitable<std::int64_t> incr_expire(std::string_view key, std::chrono::milliseconds ttl);
  // EVAL script numkeys keys... args...; the script's reply (error replies thrown).
  boost::asio::awaitable<Reply> eval(std::string_view script, const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args);

  // XADD; returns the new entry's id.
  boost::asio::awaitable<std::string> xadd(std::string_view stream, const Fields& fields, XAddOptions options = {});
  boost::asio::awaitable<std::vector<StreamBatch>> xread(const std::vector<StreamOffset>& streams, ReadOptions options = {});
  boost::asio::awaitable<std::vector<StreamBatch>> xreadgroup(std::string_view group, std::string_view consumer,
                                                              const std::vector<StreamOffset>& streams,
                                                              ReadOptions options = {});
  // Number of entries acknowledged.
  boost::asio::awaitable<std::int64_t> xack(std::string_view stream, std::string_view group,
                                            const std::vector<std::string>& ids);
  // Claims entries pending longer than min_idle for `consumer`, scanning the
  // PEL from `start` ("0-0" for the beginning).
  boost::asio::awaitable<AutoClaimResult> xautoclaim(std::string_view stream, std::string_view group,
                                                     std::string_view consumer, std::chrono::milliseconds min_idle,
                                                     std::string_view start = "0-0",
                                                     std::optional<std::size_t> count = std::nullopt);
  // XGROUP CREATE stream group start MKSTREAM: true when created, false when
  // the group already existed (BUSYGROUP is not an error here).
  boost::asio::awaitable<bool> xgroup_create(std::string_view stream, std::string_view group,
                                             std::string_view start = "$");

  // True while a connection is established.
  bool connected() const;
  // Disconnects for good: commands in flight and later ones fail with Unavailable.
  void close();

 private:
  std::shared_ptr<detail::Connection> conn_;
};

}  // namespace marina::redis
