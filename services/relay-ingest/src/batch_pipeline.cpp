#include "batch_pipeline.hpp"

#include <chrono>
#include <map>

#include "admin_route.hpp"
#include "failure.hpp"
#include "marina/asio/retry.hpp"
#include "marina/core/log.hpp"
#include "marina/core/clock.hpp"
#include "marina/store/serving.hpp"

namespace marina::relay_ingest {

BatchPipeline::BatchPipeline(store::EventStore& store, store::RelayDirectory& relays, redis::Client& redis,
                             const IngestSettings& settings, IngestProbe& probe)
    : relays_(relays),
      settings_(settings),
      probe_(probe),
      verifier_(settings.verify_threads),
      policy_(Policy::platform(settings.relay.limits)),
      rate_limiter_(redis, settings.relay.limits),
      writer_(store, settings.relay, core::Backoff(settings.retry_min, settings.retry_max), probe),
      publisher_(redis, settings, core::Backoff(settings.retry_min, settings.retry_max), probe),
      backoff_(settings.retry_min, settings.retry_max) {}

boost::asio::awaitable<Batch> BatchPipeline::prepare(std::vector<Delivery> deliveries) {
  if (deliveries.empty()) co_return Batch{};
  probe_.batch_prepared(deliveries.size());
  Batch batch = co_await verifier_.decode_all(std::move(deliveries));
  auto attempt = [&] { return judge(batch); };
  auto retry_after = [&](const std::exception_ptr& failure) {
    if (classify(failure) != FailureKind::transient) return false;
    log::warn("judging a batch failed; retrying", {{"entries", batch.size()}, {"error", describe(failure)}});
    probe_.retry("prepare");
    return true;
  };
  co_await coro::retry(backoff_, attempt, retry_after);
  for (Item& item : batch) {
    if (item.decided() || !item.ephemeral) continue;
    // Ephemeral events are never stored: accepted and handed to live
    // subscribers, except admin commands for the relay, which go to tenants
    // only (nobody else should even see that one was sent).
    item.admin_command = is_admin_command(*item.event, item.relay->relay_pubkey);
    item.accept("", !item.admin_command);
  }
  co_return batch;
}

boost::asio::awaitable<void> BatchPipeline::judge(Batch& batch) {
  // One lookup per relay per batch; the directory answers from memory.
  std::map<std::string, std::shared_ptr<const store::Relay>> relays;
  for (Item& item : batch) {
    if (item.decided() || item.relay) continue;
    auto [it, fresh] = relays.try_emplace(item.request->relay_id);
    if (fresh) it->second = co_await relays_.by_id(item.request->relay_id);
    if (!it->second) {
      item.refuse(store::event_refusal_reason(nullptr), *store::event_refusal(nullptr));
      continue;
    }
    item.relay = it->second;
    const PolicyInput in{*item.relay, *item.event, *item.request, receive_time(*item.request)};
    if (auto refusal = policy_.check(in)) item.refuse(std::move(*refusal));
  }
  co_await rate_limiter_.apply(batch, core::unix_ms());
}

boost::asio::awaitable<void> BatchPipeline::store(Batch& batch) {
  if (batch.empty()) co_return;
  co_await writer_.write(batch);
}

boost::asio::awaitable<void> BatchPipeline::publish(const Batch& batch) {
  if (batch.empty()) co_return;
  co_await publisher_.publish(batch);
  const std::int64_t now = core::unix_ms();
  for (const Item& item : batch) {
    if (!item.request) {
      log::warn("skipped a malformed marina:ingest entry", {{"entry", item.entry_id}, {"error", item.contract_error}});
      probe_.malformed_entry();
      continue;
    }
    probe_.event_done(item);
    if (item.request->received_ms > 0 && !item.redelivered) {
      probe_.event_latency(std::chrono::milliseconds(std::max<std::int64_t>(0, now - item.request->received_ms)));
    }
  }
}

}  // namespace marina::relay_ingest
