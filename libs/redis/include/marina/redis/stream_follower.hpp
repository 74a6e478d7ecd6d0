#pragma once
// Follows one Redis stream with plain XREAD BLOCK on a connection of its own
// (blocking reads must never hold a connection other commands use). Every
// service that reads a stream without a consumer group reads it through this.
//
// It starts after the stream's last entry at the time of the first read, or
// of start() (like "$", but without the gap "$" leaves between two reads),
// then always reads after the last entry it returned, so entries added while
// Redis was unreachable are read once it is back. When the stream's newest
// entry is older than the last one read (Redis lost its data), it starts over
// from that newest entry. Errors never escape: it retries with a backoff
// (marina/asio/retry.hpp) until stop(); only the caller's cancellation ends
// next() with an exception.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

#include "marina/core/backoff.hpp"
#include "marina/redis/streams.hpp"

namespace marina::redis {

class Client;

struct StreamFollowerOptions {
  std::chrono::milliseconds block{2000};  // XREAD BLOCK: also how quickly stop() is seen without close()
  std::size_t count = 500;                 // entries per read
  std::chrono::milliseconds retry_min{100};
  std::chrono::milliseconds retry_max{2000};
};
// Passed inline inside co_await expressions (see README, GCC 12).
static_assert(std::is_trivially_destructible_v<StreamFollowerOptions>);

class StreamFollower {
 public:
  StreamFollower(Client& client, std::string stream, StreamFollowerOptions options = {});

  struct Batch {
    std::vector<StreamEntry> entries;  // empty when the block time passed with nothing new
    bool resumed = false;  // the first read after Redis was unreachable: the caller may reconcile
  };

  // Positions the follower after the stream's newest entry now, so that
  // whatever is added after this returns is read by next(): a caller that
  // loads a snapshot from elsewhere starts the follower first, then loads.
  // One attempt: if Redis does not answer, next() positions later and reports
  // that batch as resumed (the caller loads again then).
  boost::asio::awaitable<void> start();
  // The next entries; waits up to the block time. Returns an empty batch once stopped.
  boost::asio::awaitable<Batch> next();

  // Makes next() return; close the client as well to end a read in progress at once.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  const std::string& stream() const { return stream_; }
  const std::string& last_id() const { return last_id_; }

 private:
  // One read (positioning first when needed); throws what the client throws.
  boost::asio::awaitable<Batch> read();
  boost::asio::awaitable<std::string> newest_id();
  // A read failed: logged once per outage; the next successful read says resumed.
  void note_failure(const std::exception_ptr& error);

  Client& client_;
  std::string stream_;
  StreamFollowerOptions options_;
  std::string last_id_;  // empty until the start position is known
  bool failing_ = false;
  core::Backoff backoff_;
  bool stopped_ = false;
};

}  // namespace marina::redis
