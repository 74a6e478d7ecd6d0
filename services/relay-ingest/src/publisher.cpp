#include "publisher.hpp"

#include "failure.hpp"
#include "marina/asio/retry.hpp"
#include "marina/core/log.hpp"
#include "marina/redis/pipeline.hpp"

namespace marina::relay_ingest {

Publisher::Publisher(redis::Client& redis, const IngestSettings& settings, core::Backoff backoff, IngestProbe& probe)
    : redis_(redis), settings_(settings), backoff_(backoff), probe_(probe) {}

boost::asio::awaitable<void> Publisher::publish(const Batch& batch) {
  if (batch.empty()) co_return;
  bool added = false;
  // A retry redoes only what has not succeeded yet.
  auto attempt = [&]() -> boost::asio::awaitable<void> {
    if (!added) {
      co_await add_all(batch);
      added = true;
    }
    co_await ack_all(batch);
  };
  auto retry_after = [&](const std::exception_ptr& failure) {
    log::warn(added ? "acking a batch failed; retrying" : "publishing a batch failed; retrying",
              {{"entries", batch.size()}, {"error", describe(failure)}});
    probe_.retry("publish");
    return true;
  };
  co_await coro::retry(backoff_, attempt, retry_after);
}

boost::asio::awaitable<void> Publisher::add_all(const Batch& batch) {
  const redis::XAddOptions events{.maxlen = settings_.events_maxlen};
  const redis::XAddOptions replies_bound{.maxlen = settings_.replies_maxlen};
  const redis::XAddOptions admin_bound{.maxlen = settings_.admin_maxlen};
  std::vector<redis::Command> commands;
  for (const Item& item : batch) {
    if (item.accepted.value_or(false) && item.publish) {
      const streams::AcceptedEvent accepted{item.request->relay_id, item.event->raw};
      commands.push_back(redis::xadd_command(streams::kEventsStream, accepted.encode(), events));
    }
    if (item.accepted.value_or(false) && item.admin_command) {
      const streams::AdminRequest command{item.request->relay_id, item.event->raw, item.request->received_ms};
      commands.push_back(redis::xadd_command(streams::kAdminStream, command.encode(), admin_bound));
    }
  }
  for (const Item& item : batch) {
    if (!item.request || item.request->origin.empty()) continue;
    const streams::IngestReply reply{item.request->connection, item.event_id, item.accepted.value_or(false), item.message};
    const std::string stream = streams::replies_stream(item.request->origin);
    commands.push_back(redis::xadd_command(stream, reply.encode(), replies_bound));
  }
  const std::vector<redis::Reply> replies = co_await redis::pipeline(redis_, std::move(commands));
  for (const redis::Reply& r : replies) r.throw_if_error();
}

boost::asio::awaitable<void> Publisher::ack_all(const Batch& batch) {
  // Acked, then deleted: once its outcome is durable an entry is of no more
  // use, and marina:ingest holds only what is still to be done. (Left in
  // place, every event ever sent would stay in Redis up to relay-query's
  // MAXLEN, a gigabyte of memory at the default, all of it rewritten by every
  // AOF rewrite.) Both are idempotent, so a retry after a failure between
  // them is harmless. An entry another replica claimed meanwhile was read by
  // it already; storing is idempotent, and its XACK of a deleted entry still
  // clears its pending list.
  redis::Command ack{"XACK", std::string(streams::kIngestStream), std::string(streams::kIngestGroup)};
  redis::Command del{"XDEL", std::string(streams::kIngestStream)};
  for (const Item& item : batch) {
    ack.push_back(item.entry_id);
    del.push_back(item.entry_id);
  }
  std::vector<redis::Command> commands;
  commands.push_back(std::move(ack));
  commands.push_back(std::move(del));
  for (const redis::Reply& r : co_await redis::pipeline(redis_, std::move(commands))) r.throw_if_error();
}

}  // namespace marina::relay_ingest
