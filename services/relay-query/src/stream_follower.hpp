#pragma once
// Follows one Redis stream with plain XREAD BLOCK on a connection of its own
// (blocking reads must never hold a connection other commands use).
//
// It starts after the stream's last entry at the time of the first read
// (like "$", but without the gap "$" leaves between two reads), then always
// reads after the last entry it returned, so entries added while Redis was
// unreachable are read once it is back. When the stream's newest entry is
// older than the last one read (Redis lost its data), it starts over from
// that newest entry. Errors never escape: it retries with a backoff until
// stop().
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "marina/redis/streams.hpp"

namespace marina::redis { class Client; }

namespace marina::relay_query {

struct StreamFollowerOptions {
  std::chrono::milliseconds block{2000};  // XREAD BLOCK: also how quickly stop() is seen without close()
  std::size_t count = 500;                 // entries per read
  std::chrono::milliseconds retry_min{100};
  std::chrono::milliseconds retry_max{2000};
};

class StreamFollower {
 public:
  StreamFollower(redis::Client& client, std::string stream, StreamFollowerOptions options = {});

  struct Batch {
    std::vector<redis::StreamEntry> entries;  // empty when the block time passed with nothing new
    bool resumed = false;  // the first read after Redis was unreachable: the caller may reconcile
  };
  // The next entries; waits up to the block time. Returns an empty batch once stopped.
  boost::asio::awaitable<Batch> next();

  // Makes next() return; close the client as well to end a read in progress at once.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  const std::string& stream() const { return stream_; }
  const std::string& last_id() const { return last_id_; }

 private:
  boost::asio::awaitable<std::string> newest_id();
  boost::asio::awaitable<void> pause();

  redis::Client& client_;
  std::string stream_;
  StreamFollowerOptions options_;
  std::string last_id_;  // empty until the start position is known
  bool failing_ = false;
  std::chrono::milliseconds backoff_;
  bool stopped_ = false;
};

// "1700000000000-3" -> 1700000000000 (the entry's time in unix milliseconds).
std::optional<std::int64_t> stream_id_ms(std::string_view id) noexcept;
// Stream ids in time order: negative, zero or positive like strcmp. Malformed ids compare as 0-0.
int compare_stream_ids(std::string_view a, std::string_view b) noexcept;

}  // namespace marina::relay_query
