#include "platform_follower.hpp"

#include "failure.hpp"
#include "marina/core/log.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest {

using namespace std::chrono_literals;

PlatformFollower::PlatformFollower(redis::Client& reader, store::RelayDirectory& relays, Backoff backoff)
    : reader_(reader), relays_(relays), backoff_(backoff) {}

boost::asio::awaitable<void> PlatformFollower::run() {
  for (;;) {
    std::exception_ptr failure;
    try {
      std::string from = co_await newest_id();
      co_await relays_.load_all();
      log::info("relay directory loaded", {{"relays", relays_.size()}});
      backoff_.reset();
      co_await follow(std::move(from));
    } catch (...) {
      failure = std::current_exception();
    }
    if (is_cancellation(failure) || classify(failure) != FailureKind::transient) std::rethrow_exception(failure);
    log::warn("following marina:platform failed; reloading the relays", {{"error", describe(failure)}});
    co_await backoff_.wait();
  }
}

boost::asio::awaitable<std::string> PlatformFollower::newest_id() {
  const redis::Reply last = co_await reader_.command("XREVRANGE", streams::kPlatformStream, "+", "-", "COUNT", "1");
  last.throw_if_error();
  const auto entries = redis::parse_entries(last);
  co_return entries.empty() ? std::string("0-0") : entries.front().id;
}

boost::asio::awaitable<void> PlatformFollower::follow(std::string from) {
  redis::ReadOptions options;
  options.count = 100;
  options.block = 1000ms;
  for (;;) {
    std::vector<redis::StreamOffset> offsets{{std::string(streams::kPlatformStream), from}};
    const auto batches = co_await reader_.xread(offsets, options);
    for (const auto& batch : batches) {
      for (const auto& entry : batch.entries) {
        from = entry.id;
        try {
          const auto fact = streams::PlatformFact::decode(entry.fields);
          if (fact.relay_id.empty()) continue;
          co_await relays_.refresh(fact.relay_id);
          log::debug("relay refreshed", {{"relay", fact.relay_id}, {"fact", fact.type}});
        } catch (const streams::ContractError& e) {
          log::warn("skipped a malformed marina:platform entry", {{"entry", entry.id}, {"error", e.what()}});
        }
      }
    }
  }
}

}  // namespace marina::relay_ingest
