#include "ingest_queue.hpp"

#include "marina/redis/client.hpp"

namespace marina::relay_query {

boost::asio::awaitable<void> IngestQueue::submit(const streams::IngestRequest& request) {
  const redis::Fields fields = request.encode();
  co_await redis_.xadd(streams::kIngestStream, fields, redis::XAddOptions{.maxlen = maxlen_});
}

}  // namespace marina::relay_query
