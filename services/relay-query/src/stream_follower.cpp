#include "stream_follower.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <charconv>

#include "marina/core/log.hpp"
#include "marina/redis/client.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

namespace {

struct IdParts {
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;
};

IdParts parts(std::string_view id) noexcept {
  IdParts p;
  const auto dash = id.find('-');
  const std::string_view ms = id.substr(0, dash);
  std::from_chars(ms.data(), ms.data() + ms.size(), p.ms);
  if (dash != std::string_view::npos) {
    const std::string_view seq = id.substr(dash + 1);
    std::from_chars(seq.data(), seq.data() + seq.size(), p.seq);
  }
  return p;
}

}  // namespace

std::optional<std::int64_t> stream_id_ms(std::string_view id) noexcept {
  std::int64_t ms = 0;
  const auto dash = id.find('-');
  const std::string_view text = id.substr(0, dash);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return ms;
}

int compare_stream_ids(std::string_view a, std::string_view b) noexcept {
  const IdParts x = parts(a), y = parts(b);
  if (x.ms != y.ms) return x.ms < y.ms ? -1 : 1;
  if (x.seq != y.seq) return x.seq < y.seq ? -1 : 1;
  return 0;
}

StreamFollower::StreamFollower(redis::Client& client, std::string stream, StreamFollowerOptions options)
    : client_(client), stream_(std::move(stream)), options_(options), backoff_(options.retry_min) {}

asio::awaitable<std::string> StreamFollower::newest_id() {
  redis::Reply reply = co_await client_.command("XREVRANGE", stream_, "+", "-", "COUNT", "1");
  reply.throw_if_error();
  const auto entries = redis::parse_entries(reply);
  co_return entries.empty() ? std::string("0-0") : entries.front().id;
}

asio::awaitable<void> StreamFollower::pause() {
  asio::steady_timer timer(co_await asio::this_coro::executor, backoff_);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  backoff_ = std::min(backoff_ * 2, options_.retry_max);
}

asio::awaitable<StreamFollower::Batch> StreamFollower::next() {
  Batch batch;
  while (!stopped_) {
    try {
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
      const std::vector<redis::StreamOffset> offsets{{stream_, last_id_}};
      std::vector<redis::StreamBatch> read =
          co_await client_.xread(offsets, redis::ReadOptions{.count = options_.count, .block = options_.block});
      if (failing_) {
        log::info("stream readable again", {{"stream", stream_}});
        batch.resumed = true;
        failing_ = false;
        backoff_ = options_.retry_min;
      }
      for (auto& b : read) {
        for (auto& entry : b.entries) {
          last_id_ = entry.id;
          // An entry deleted meanwhile has no fields: nothing to act on.
          if (!entry.fields.empty()) batch.entries.push_back(std::move(entry));
        }
      }
      co_return batch;
    } catch (const std::exception& e) {
      if (stopped_) break;
      if (!failing_) log::warn("stream read failed; retrying", {{"stream", stream_}, {"error", e.what()}});
      failing_ = true;
    }
    co_await pause();
  }
  co_return batch;
}

}  // namespace marina::relay_query
