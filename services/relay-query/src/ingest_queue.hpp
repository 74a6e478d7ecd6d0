#pragma once
// Hands client EVENTs to relay-ingest: one XADD of an IngestRequest on
// marina:ingest per EVENT, on the shared (non-blocking) Redis connection.
#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "marina/streams/contracts.hpp"

namespace marina::redis { class Client; }

namespace marina::relay_query {

class IngestQueue {
 public:
  IngestQueue(redis::Client& redis, std::size_t maxlen) : redis_(redis), maxlen_(maxlen) {}

  // Throws redis::Error when Redis did not take it (the client gets OK false "error:").
  boost::asio::awaitable<void> submit(const streams::IngestRequest& request);

 private:
  redis::Client& redis_;
  std::size_t maxlen_;
};

}  // namespace marina::relay_query
