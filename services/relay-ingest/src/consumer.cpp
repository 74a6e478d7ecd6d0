#include "consumer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "failure.hpp"
#include "marina/asio/retry.hpp"
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
  handoffs_.emplace(co_await asio::this_coro::executor);
  co_await (read_loop() && write_loop() && publish_loop());
  log::info("stopped consuming marina:ingest", {{"consumer", settings_.consumer}});
}

asio::awaitable<void> Consumer::read_loop() {
  auto& h = *handoffs_;
  while (!stop_requested_) {
    // At most one batch waits in the inbox; more would only hold entries
    // here that another replica could be processing.
    if (h.inbox_items >= settings_.batch_size) {
      co_await h.room.wait();
      continue;
    }
    std::vector<Delivery> deliveries = co_await next_deliveries(settings_.batch_size - h.inbox_items);
    if (deliveries.empty()) continue;
    for (const Delivery& d : deliveries) in_flight_.insert(d.entry_id);
    Batch batch = co_await pipeline_.prepare(std::move(deliveries));
    h.inbox_items += batch.size();
    h.inbox.push_back(std::move(batch));
    h.prepared.notify();
  }
  h.reading_done = true;
  h.prepared.notify();
}

Batch Consumer::take_from_inbox() {
  auto& h = *handoffs_;
  Batch batch = std::move(h.inbox.front());
  h.inbox.pop_front();
  while (!h.inbox.empty() && batch.size() + h.inbox.front().size() <= settings_.batch_size) {
    for (Item& item : h.inbox.front()) batch.push_back(std::move(item));
    h.inbox.pop_front();
  }
  h.inbox_items -= batch.size();
  return batch;
}

asio::awaitable<void> Consumer::write_loop() {
  auto& h = *handoffs_;
  asio::steady_timer spacing(co_await asio::this_coro::executor);
  std::chrono::steady_clock::time_point last_commit_start{};
  for (;;) {
    if (h.inbox.empty()) {
      if (h.reading_done) break;
      co_await h.prepared.wait();
      continue;
    }
    // Group commit. A commit costs a WAL flush and a few round trips whatever
    // its size, so below capacity, committing each event as it arrives spends
    // most of the machine on commits (on 2 cores at 5,000 events/s: batches
    // of 6, the writer busy all the time, and any hiccup queues everything).
    // Waiting out the interval lets what arrives meanwhile share the commit.
    // A full batch goes at once: at capacity this never waits.
    const auto due = last_commit_start + settings_.commit_interval;
    if (h.inbox_items < settings_.batch_size && !h.reading_done && std::chrono::steady_clock::now() < due) {
      spacing.expires_at(due);
      co_await spacing.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    last_commit_start = std::chrono::steady_clock::now();
    Batch batch = take_from_inbox();
    h.room.notify();
    co_await pipeline_.store(batch);
    // One stored batch waits for the publisher at most: publication order is commit order.
    while (h.to_publish) co_await h.published.wait();
    h.to_publish = std::move(batch);
    h.stored.notify();
  }
  h.writing_done = true;
  h.stored.notify();
}

asio::awaitable<void> Consumer::publish_loop() {
  auto& h = *handoffs_;
  for (;;) {
    if (!h.to_publish) {
      if (h.writing_done) break;
      co_await h.stored.wait();
      continue;
    }
    co_await pipeline_.publish(*h.to_publish);
    for (const Item& item : *h.to_publish) in_flight_.erase(item.entry_id);
    h.to_publish.reset();
    h.published.notify();
  }
}

asio::awaitable<void> Consumer::ensure_group() {
  // From 0, not $: entries relay-query added before the group existed are ours to process.
  auto attempt = [this] { return redis_.xgroup_create(streams::kIngestStream, streams::kIngestGroup, "0"); };
  auto retry_after = [this](const std::exception_ptr& failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const redis::Error& e) {
      log::warn("cannot create the ingest consumer group yet", {{"error", e.what()}});
      probe_.retry("read");
      return true;
    } catch (...) {
      return false;
    }
  };
  co_await coro::retry(backoff_, attempt, retry_after);
}

asio::awaitable<std::vector<Delivery>> Consumer::next_deliveries(std::size_t max) {
  bool missing_group = false;
  try {
    if (!own_pending_done_) {
      // What this consumer read before a restart and never acked.
      std::vector<redis::StreamOffset> mine{{std::string(streams::kIngestStream), own_pending_cursor_}};
      redis::ReadOptions once;
      once.count = max;
      auto read = deliveries_of(co_await reader_.xreadgroup(streams::kIngestGroup, settings_.consumer, mine, once), true);
      if (!read.empty()) {
        own_pending_cursor_ = read.back().entry_id;
        log::info("re-processing own pending entries", {{"entries", read.size()}});
        co_return read;
      }
      own_pending_done_ = true;
    }
    if (claimer_.due()) {
      auto claimed = co_await claimer_.claim(max);
      std::erase_if(claimed, [this](const Delivery& d) { return in_flight_.contains(d.entry_id); });
      if (!claimed.empty()) co_return claimed;
    }
    std::vector<redis::StreamOffset> fresh{{std::string(streams::kIngestStream), ">"}};
    redis::ReadOptions wait;
    wait.count = max;
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
    co_await coro::sleep_for(backoff_.next());
  }
  co_return std::vector<Delivery>{};
}

}  // namespace marina::relay_ingest
