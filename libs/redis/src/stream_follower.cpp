#include "marina/redis/stream_follower.hpp"

#include "marina/asio/retry.hpp"
#include "marina/core/exception.hpp"
#include "marina/core/log.hpp"
#include "marina/redis/client.hpp"

namespace marina::redis {

namespace asio = boost::asio;

StreamFollower::StreamFollower(Client& client, std::string stream, StreamFollowerOptions options)
    : client_(client),
      stream_(std::move(stream)),
      options_(options),
      backoff_(options.retry_min, options.retry_max) {}

asio::awaitable<std::string> StreamFollower::newest_id() {
  Reply reply = co_await client_.command("XREVRANGE", stream_, "+", "-", "COUNT", "1");
  reply.throw_if_error();
  const auto entries = parse_entries(reply);
  co_return entries.empty() ? std::string("0-0") : entries.front().id;
}

asio::awaitable<void> StreamFollower::start() {
  if (!last_id_.empty()) co_return;
  std::exception_ptr failure;
  try {
    last_id_ = co_await newest_id();
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure || stopped_) co_return;
  if (coro::is_cancellation(failure)) std::rethrow_exception(failure);
  // Not positioned: next() keeps trying, and its first batch says resumed.
  note_failure(failure);
}

asio::awaitable<StreamFollower::Batch> StreamFollower::next() {
  auto attempt = [this] { return read(); };
  auto retry_after = [this](const std::exception_ptr& error) {
    if (stopped_) return false;
    note_failure(error);
    return true;
  };
  try {
    co_return co_await coro::retry(backoff_, attempt, retry_after);
  } catch (...) {
    if (!stopped_) throw;  // cancelled
  }
  co_return Batch{};
}

void StreamFollower::note_failure(const std::exception_ptr& error) {
  if (!failing_) log::warn("stream read failed; retrying", {{"stream", stream_}, {"error", core::describe(error)}});
  failing_ = true;
}

asio::awaitable<StreamFollower::Batch> StreamFollower::read() {
  Batch batch;
  if (stopped_) co_return batch;
  if (last_id_.empty()) {
    last_id_ = co_await newest_id();
  } else if (failing_) {
    // Redis may have restarted without its data: ids start over lower.
    const std::string newest = co_await newest_id();
    if (compare_stream_ids(newest, last_id_) < 0) {
      log::warn("stream is behind the last entry read; following from its newest entry",
                {{"stream", stream_}, {"last_id", last_id_}, {"newest_id", newest}});
      last_id_ = newest;
    }
  }
  const std::vector<StreamOffset> offsets{{stream_, last_id_}};
  std::vector<StreamBatch> read =
      co_await client_.xread(offsets, ReadOptions{.count = options_.count, .block = options_.block});
  if (failing_) {
    log::info("stream readable again", {{"stream", stream_}});
    batch.resumed = true;
    failing_ = false;
  }
  for (auto& b : read) {
    for (auto& entry : b.entries) {
      last_id_ = entry.id;
      // An entry deleted meanwhile has no fields: nothing to act on.
      if (!entry.fields.empty()) batch.entries.push_back(std::move(entry));
    }
  }
  co_return batch;
}

}  // namespace marina::redis
