#include "replies_consumer.hpp"

#include "connection_registry.hpp"
#include "marina/core/log.hpp"
#include "marina/streams/contracts.hpp"
#include "query_probe.hpp"
#include "session.hpp"

namespace marina::relay_query {

boost::asio::awaitable<void> RepliesConsumer::run() {
  while (!follower_.stopped()) {
    redis::StreamFollower::Batch batch = co_await follower_.next();
    if (batch.resumed) probe_.stream_reconnected("replies");
    for (const auto& entry : batch.entries) {
      streams::IngestReply reply;
      try {
        reply = streams::IngestReply::decode(entry.fields);
      } catch (const streams::ContractError& e) {
        log::warn("ignoring a malformed ingest reply", {{"entry", entry.id}, {"error", e.what()}});
        continue;
      }
      if (auto session = connections_.find(reply.connection)) {
        session->post_ingest_reply(std::move(reply));
      } else {
        probe_.ingest_reply_unroutable();
      }
    }
  }
}

}  // namespace marina::relay_query
