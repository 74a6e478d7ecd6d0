#include "verifier.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "decode.hpp"

namespace marina::relay_ingest {

namespace asio = boost::asio;

namespace {

// Shared by the chunks running on the pool; outlives a cancelled caller.
struct Work {
  Work(asio::any_io_executor ex, std::vector<Delivery> d)
      : deliveries(std::move(d)), items(deliveries.size()), done(std::move(ex), asio::steady_timer::time_point::max()) {}
  std::vector<Delivery> deliveries;
  Batch items;
  asio::steady_timer done;  // cancelled on the caller's executor once every chunk finished
  std::size_t chunks_left = 0;
};

}  // namespace

Verifier::Verifier(std::size_t threads) : threads_(threads) {
  if (threads_ > 0) pool_ = std::make_unique<asio::thread_pool>(threads_);
}

Verifier::~Verifier() {
  if (pool_) pool_->join();
}

asio::awaitable<Batch> Verifier::decode_all(std::vector<Delivery> deliveries) {
  if (!pool_ || deliveries.size() < 2) {
    Batch items;
    items.reserve(deliveries.size());
    for (auto& d : deliveries) items.push_back(decode(std::move(d)));
    co_return items;
  }
  auto caller = co_await asio::this_coro::executor;
  auto work = std::make_shared<Work>(caller, std::move(deliveries));
  const std::size_t n = work->items.size();
  const std::size_t chunks = std::min(threads_, n);
  const std::size_t per_chunk = (n + chunks - 1) / chunks;
  work->chunks_left = chunks;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t begin = c * per_chunk, end = std::min(n, begin + per_chunk);
    asio::post(*pool_, [work, caller, begin, end] {
      for (std::size_t i = begin; i < end; ++i) work->items[i] = decode(std::move(work->deliveries[i]));
      // Back on the caller's executor, which alone touches the counter and the timer.
      asio::post(caller, [work] {
        if (--work->chunks_left == 0) work->done.cancel();
      });
    });
  }
  co_await work->done.async_wait(asio::as_tuple(asio::use_awaitable));
  if (work->chunks_left > 0) throw boost::system::system_error(asio::error::operation_aborted);
  co_return std::move(work->items);
}

}  // namespace marina::relay_ingest
