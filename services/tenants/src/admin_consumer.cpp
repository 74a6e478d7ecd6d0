#include "admin_consumer.hpp"

#include <unistd.h>

#include <boost/asio/this_coro.hpp>
#include <cstdio>

#include "marina/asio/retry.hpp"
#include "marina/core/exception.hpp"
#include "marina/core/log.hpp"
#include "marina/pg/errors.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/pipeline.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::tenants::admin {

Worker::Worker(redis::Client& reader, redis::Client& redis, Executor& executor, ConsumerSettings settings)
    : reader_(reader),
      redis_(redis),
      executor_(executor),
      settings_(std::move(settings)),
      backoff_(settings_.retry_min, settings_.retry_max) {}

boost::asio::awaitable<void> Worker::run() {
  co_await ensure_group();
  log::info("consuming marina:admin", {{"consumer", settings_.consumer}});
  for (;;) {
    std::optional<redis::StreamEntry> entry;
    enum class ReadFailure { none, missing_group, redis } read_failure = ReadFailure::none;
    try {
      entry = co_await next();
    } catch (const redis::CommandError& e) {
      if (e.code() != "NOGROUP") throw;
      read_failure = ReadFailure::missing_group;
    } catch (const redis::Error& e) {
      log::warn("reading marina:admin failed; retrying", {{"error", e.what()}});
      read_failure = ReadFailure::redis;
    }
    // (No co_await inside a handler.)
    if (read_failure == ReadFailure::missing_group) {
      log::warn("the admin consumer group is gone; creating it again");
      co_await ensure_group();
      continue;
    }
    if (read_failure == ReadFailure::redis) {
      co_await coro::sleep_for(backoff_.next());
      continue;
    }
    if (!entry) continue;
    std::exception_ptr failure;
    try {
      co_await process(*entry);
      backoff_.reset();
    } catch (...) {
      failure = std::current_exception();
    }
    if (!failure) continue;
    if (coro::is_cancellation(failure)) std::rethrow_exception(failure);
    log::warn("an admin command failed; it stays pending and is read again",
              {{"entry", entry->id}, {"error", core::describe(failure)}});
    own_pending_done_ = false;
    co_await coro::sleep_for(backoff_.next());
  }
}

boost::asio::awaitable<void> Worker::ensure_group() {
  auto attempt = [this] { return redis_.xgroup_create(streams::kAdminStream, streams::kAdminGroup, "0"); };
  auto retry_after = [](const std::exception_ptr& failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const redis::Error& e) {
      log::warn("cannot create the admin consumer group yet", {{"error", e.what()}});
      return true;
    } catch (...) {
      return false;
    }
  };
  co_await coro::retry(backoff_, attempt, retry_after);
  backoff_.reset();
}

boost::asio::awaitable<std::optional<redis::StreamEntry>> Worker::next() {
  auto first = [](std::vector<redis::StreamBatch> batches) -> std::optional<redis::StreamEntry> {
    for (auto& b : batches)
      for (auto& e : b.entries) return std::move(e);
    return std::nullopt;
  };
  redis::ReadOptions one;
  one.count = 1;
  if (!own_pending_done_) {
    // What this worker read before and never acked.
    std::vector<redis::StreamOffset> mine{{std::string(streams::kAdminStream), "0"}};
    auto entry = first(co_await reader_.xreadgroup(streams::kAdminGroup, settings_.consumer, mine, one));
    if (entry) co_return entry;
    own_pending_done_ = true;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now >= next_claim_) {
    next_claim_ = now + settings_.claim_idle;
    auto claimed = co_await redis_.xautoclaim(streams::kAdminStream, streams::kAdminGroup, settings_.consumer,
                                              settings_.claim_idle, "0-0", 1);
    for (auto& e : claimed.entries) co_return std::move(e);
  }
  redis::ReadOptions wait = one;
  wait.block = settings_.block;
  std::vector<redis::StreamOffset> fresh{{std::string(streams::kAdminStream), ">"}};
  co_return first(co_await reader_.xreadgroup(streams::kAdminGroup, settings_.consumer, fresh, wait));
}

boost::asio::awaitable<void> Worker::process(const redis::StreamEntry& entry) {
  if (!entry.fields.empty()) {  // empty: deleted meanwhile (XDEL after another worker's ack)
    std::optional<streams::AdminRequest> request;
    try {
      request = streams::AdminRequest::decode(entry.fields);
    } catch (const streams::ContractError& e) {
      log::warn("skipped a malformed marina:admin entry", {{"entry", entry.id}, {"error", e.what()}});
    }
    if (request) co_await executor_.handle(*request);
  }
  std::vector<redis::Command> ack;
  ack.push_back({"XACK", std::string(streams::kAdminStream), std::string(streams::kAdminGroup), entry.id});
  ack.push_back({"XDEL", std::string(streams::kAdminStream), entry.id});
  for (const redis::Reply& r : co_await redis::pipeline(redis_, std::move(ack))) r.throw_if_error();
}

boost::asio::awaitable<void> run_worker(redis::Options reader_options, redis::Client& redis, Executor& executor,
                                        ConsumerSettings settings) {
  // Named first: GCC 12 mishandles a co_await inside an aggregate's initializer.
  auto io = co_await boost::asio::this_coro::executor;
  struct Own {
    std::unique_ptr<redis::Client> client;
    ~Own() {
      if (client) client->close();
    }
  } reader{std::make_unique<redis::Client>(io, std::move(reader_options))};
  Worker worker(*reader.client, redis, executor, std::move(settings));
  co_await worker.run();
}

std::string worker_name(std::size_t index) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "tenants");
  return std::string(host) + "-" + std::to_string(::getpid()) + "-admin-" + std::to_string(index);
}

boost::asio::awaitable<void> purge_replay_guard(pg::Pool& db, std::chrono::seconds retention,
                                                std::chrono::milliseconds every) {
  for (;;) {
    try {
      const std::int64_t purged =
          co_await db.transaction([&](pqxx::work& tx) { return purge_requests(tx, retention); });
      if (purged > 0) log::info("purged old admin command ids", {{"rows", purged}});
    } catch (const pg::Error& e) {
      log::warn("purging old admin command ids failed; trying again later", {{"error", e.what()}});
    }
    co_await coro::sleep_for(every);
  }
}

}  // namespace marina::tenants::admin
