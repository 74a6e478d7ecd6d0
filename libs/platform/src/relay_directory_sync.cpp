#include "marina/platform/relay_directory_sync.hpp"

#include <algorithm>

#include "marina/asio/retry.hpp"
#include "marina/core/exception.hpp"
#include "marina/core/log.hpp"
#include "marina/redis/stream_follower.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::platform {

std::optional<std::string> relay_to_refresh(const streams::PlatformFact& fact) {
  if (fact.relay_id.empty()) return std::nullopt;
  return fact.relay_id;
}

// A tenant's standing and a plan's limits are carried by many relays: reload them all.
bool reloads_directory(const streams::PlatformFact& fact) {
  return fact.type == streams::kFactTenantUpdated || fact.type == streams::kFactPlanUpdated;
}

RelayDirectorySync::RelayDirectorySync(redis::StreamFollower& follower, store::RelayDirectory& directory,
                                       RelayDirectorySyncOptions options, RelayDirectoryListener* listener)
    : follower_(follower),
      directory_(directory),
      options_(options),
      listener_(listener),
      backoff_(options.retry_min, options.retry_max) {}

boost::asio::awaitable<void> RelayDirectorySync::run() {
  // Positioned before the load: a fact published while it runs is read after it.
  co_await follower_.start();
  co_await reload();
  while (!follower_.stopped()) {
    redis::StreamFollower::Batch batch = co_await follower_.next();
    if (follower_.stopped()) break;
    if (batch.resumed) {
      if (listener_ != nullptr) listener_->platform_stream_resumed();
      // Facts published while Redis was unreachable may be lost.
      reload_at_ = Clock::now();
    }
    if (Clock::now() >= reload_at_) co_await reload();
    for (const auto& entry : batch.entries) co_await apply(entry);
  }
}

boost::asio::awaitable<void> RelayDirectorySync::reload() {
  std::exception_ptr failure;
  try {
    co_await directory_.load_all();
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    if (coro::is_cancellation(failure)) std::rethrow_exception(failure);
    log::warn("relay directory reload failed", {{"error", core::describe(failure)}});
    reload_at_ = Clock::now() + backoff_.next();
    co_return;
  }
  backoff_.reset();
  reload_at_ = Clock::now() + options_.reconcile_every;
  if (loaded_once_) {
    log::debug("relay directory reloaded", {{"relays", directory_.size()}});
  } else {
    log::info("relay directory loaded", {{"relays", directory_.size()}});
    loaded_once_ = true;
  }
  if (listener_ != nullptr) co_await listener_->directory_reloaded();
}

boost::asio::awaitable<void> RelayDirectorySync::apply(const redis::StreamEntry& entry) {
  streams::PlatformFact fact;
  try {
    fact = streams::PlatformFact::decode(entry.fields);
  } catch (const streams::ContractError& e) {
    log::warn("ignoring a malformed platform fact", {{"entry", entry.id}, {"error", e.what()}});
    co_return;
  }
  if (reloads_directory(fact)) {
    log::debug("reloading the relay directory", {{"fact", fact.type}, {"tenant", fact.tenant_pubkey}});
    co_await reload();
    co_return;
  }
  const std::optional<std::string> relay_id = relay_to_refresh(fact);
  if (!relay_id) co_return;
  std::shared_ptr<const store::Relay> relay;
  std::exception_ptr failure;
  try {
    relay = co_await directory_.refresh(*relay_id);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    if (coro::is_cancellation(failure)) std::rethrow_exception(failure);
    // The fact is not lost with the failure: everything is loaded again soon.
    log::warn("relay refresh failed; reloading the directory", {{"relay", *relay_id}, {"error", core::describe(failure)}});
    reload_at_ = std::min(reload_at_, Clock::now());
    co_return;
  }
  log::debug("relay refreshed", {{"relay", *relay_id}, {"fact", fact.type}});
  if (listener_ != nullptr) co_await listener_->relay_refreshed(*relay_id, std::move(relay));
}

}  // namespace marina::platform
