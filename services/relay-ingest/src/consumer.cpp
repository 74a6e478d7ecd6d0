#include "consumer.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "failure.hpp"
#include "marina/core/log.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

std::vector<Delivery> deliveries_of(std::vector<redis::StreamBatch> batches, bool redelivered) {
  std::vector<Delivery> out;
  for (auto& b : batches) {
    for (auto& e : b.entries) out.push_back(Delivery{std::move(e.id), std::move(e.fields), redelivered});
  }
  return out;
}

}  // namespace

Consumer::Consumer(redis::Client& reader, redis::Client& redis, BatchPipeline& pipeline,
                   const IngestSettings& settings, IngestProbe& probe, const std::atomic<bool>& stop_requested,
                   std::atomic<bool>& running)
    : reader_(reader),
      redis_(redis),
      pipeline_(pipeline),
      settings_(settings),
      probe_(probe),
      claimer_(redis, settings, probe),
      backoff_(settings.retry_min, settings.retry_max),
      stop_requested_(stop_requested),
      running_(running) {}

asio::awaitable<void> Consumer::run() {
  running_ = true;
  struct Finished {
    std::atomic<bool>& running;
    ~Finished() { running = false; }
  } finished{running_};

  co_await ensure_group();
  log::info("consuming marina:ingest", {{"consumer", settings_.consumer}, {"batch_size", settings_.batch_size}});
  Batch stored;    // committed, to publish next
  Batch prepared;  // judged, to store next
  while (!stop_requested_) {
    if (stored.empty() && prepared.empty()) {
      prepared = co_await next_prepared();
      continue;
    }
    // Publish N-1, store N and read + verify N+1, all at once.
    Batch next = co_await (publish(stored) && store(prepared) && next_prepared());
    stored = std::move(prepared);
    prepared = std::move(next);
  }
  // Stopping: what is in hand is finished, in order.
  co_await (publish(stored) && store(prepared));
  co_await publish(prepared);
  log::info("stopped consuming marina:ingest", {{"consumer", settings_.consumer}});
}

asio::awaitable<void> Consumer::ensure_group() {
  for (;;) {
    try {
      // From 0, not $: entries relay-query added before the group existed are ours to process.
      co_await redis_.xgroup_create(streams::kIngestStream, streams::kIngestGroup, "0");
      backoff_.reset();
      co_return;
    } catch (const redis::Error& e) {
      log::warn("cannot create the ingest consumer group yet", {{"error", e.what()}});
    }
    probe_.retry("read");
    co_await backoff_.wait();
  }
}

asio::awaitable<void> Consumer::store(Batch& batch) { co_await pipeline_.store(batch); }

asio::awaitable<void> Consumer::publish(Batch& batch) {
  co_await pipeline_.publish(batch);
  for (const Item& item : batch) in_flight_.erase(item.entry_id);
  batch.clear();
}

asio::awaitable<Batch> Consumer::next_prepared() {
  std::vector<Delivery> deliveries = co_await next_deliveries();
  for (const Delivery& d : deliveries) in_flight_.insert(d.entry_id);
  co_return co_await pipeline_.prepare(std::move(deliveries));
}

asio::awaitable<std::vector<Delivery>> Consumer::next_deliveries() {
  bool missing_group = false;
  try {
    if (!own_pending_done_) {
      // What this consumer read before a restart and never acked.
      std::vector<redis::StreamOffset> mine{{std::string(streams::kIngestStream), own_pending_cursor_}};
      redis::ReadOptions once;
      once.count = settings_.batch_size;
      auto read = deliveries_of(co_await reader_.xreadgroup(streams::kIngestGroup, settings_.consumer, mine, once), true);
      if (!read.empty()) {
        own_pending_cursor_ = read.back().entry_id;
        log::info("re-processing own pending entries", {{"entries", read.size()}});
        co_return read;
      }
      own_pending_done_ = true;
    }
    if (claimer_.due()) {
      auto claimed = co_await claimer_.claim(settings_.batch_size);
      std::erase_if(claimed, [this](const Delivery& d) { return in_flight_.contains(d.entry_id); });
      if (!claimed.empty()) co_return claimed;
    }
    std::vector<redis::StreamOffset> fresh{{std::string(streams::kIngestStream), ">"}};
    redis::ReadOptions wait;
    wait.count = settings_.batch_size;
    wait.block = settings_.block;
    auto read = deliveries_of(co_await reader_.xreadgroup(streams::kIngestGroup, settings_.consumer, fresh, wait), false);
    backoff_.reset();
    co_return read;
  } catch (const redis::CommandError& e) {
    // The stream or the group was deleted under us (FLUSHALL, an operator).
    if (e.code() != "NOGROUP") throw;
    missing_group = true;
  } catch (const redis::Error& e) {
    log::warn("reading marina:ingest failed; retrying", {{"error", e.what()}});
  }
  probe_.retry("read");
  if (missing_group) {
    log::warn("the ingest consumer group is gone; creating it again");
    co_await ensure_group();
  } else {
    co_await backoff_.wait();
  }
  co_return std::vector<Delivery>{};
}

}  // namespace marina::relay_ingest
