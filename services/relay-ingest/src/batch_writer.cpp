#include "batch_writer.hpp"

#include <deque>

#include "failure.hpp"
#include "marina/asio/retry.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/pg/errors.hpp"
#include "marina/relay/event_policy.hpp"

namespace marina::relay_ingest {

namespace {

// Expiry on arrival is the policy's (relay::expiration_refusal, with the
// relay's strictness and grace period): the store keeps what got through. A
// relay with NIP-40 off stores no expiration at all, so nothing it accepted is
// purged or hidden later for a tag it ignored.
store::Nip40 nip40_storage(const relay::RelayConfig& config) {
  return config.nip40_expiration_enabled ? store::Nip40::keep : store::Nip40::ignore;
}

using Clock = std::chrono::steady_clock;

bool in_doubt(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const pg::InDoubt&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

BatchWriter::BatchWriter(store::EventStore& store, const relay::RelaySettings& relay, core::Backoff backoff,
                         IngestProbe& probe)
    : store_(store), relay_(relay), backoff_(backoff), probe_(probe) {}

boost::asio::awaitable<void> BatchWriter::write(Batch& batch) {
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].decided() && !batch[i].ephemeral) positions.push_back(i);
  }
  if (positions.empty()) co_return;
  // Ranges still to write, in batch order: a failed range is replaced by its two halves.
  std::deque<std::vector<std::size_t>> todo;
  todo.push_back(std::move(positions));
  while (!todo.empty()) {
    std::vector<std::size_t> range = std::move(todo.front());
    todo.pop_front();
    std::vector<store::WriteResult> results;
    auto attempt = [&]() -> boost::asio::awaitable<void> {
      std::vector<store::WriteRequest> requests;
      requests.reserve(range.size());
      for (std::size_t i : range) {
        const Item& item = batch[i];
        requests.push_back(store::WriteRequest{item.request->relay_id, *item.event,
                                               relay_.relay_url(item.relay->subdomain),
                                               nip40_storage(relay::config_of(item.relay->config)),
                                               item.relay->plan_limits});
      }
      const auto started = Clock::now();
      results = co_await store_.write(std::move(requests));
      probe_.commit(Clock::now() - started, range.size());
    };
    // Transient failures retry the same transaction; a failure of the data comes out of retry().
    auto retry_after = [&](const std::exception_ptr& failure) {
      if (classify(failure) != FailureKind::transient) return false;
      if (in_doubt(failure)) {
        for (std::size_t i : range) batch[i].commit_in_doubt = true;
      }
      log::warn("storing a batch failed; retrying", {{"events", range.size()}, {"error", describe(failure)}});
      probe_.retry("store");
      return true;
    };
    std::exception_ptr failure;
    try {
      co_await coro::retry(backoff_, attempt, retry_after);
      for (std::size_t k = 0; k < range.size(); ++k) {
        Item& item = batch[range[k]];
        const store::WriteResult& r = results.at(k);
        // A re-delivered event the store already had may never have reached
        // marina:events (the earlier attempt can have died between commit
        // and publish): publish it again; relay-query drops repeats.
        const bool republish = r.accepted && item.maybe_committed() && r.already_stored;
        if (r.accepted) {
          item.accept(r.message, r.publish || republish);
        } else {
          item.refuse("store_refused", r.message);
        }
      }
      continue;
    } catch (...) {
      failure = std::current_exception();
    }
    if (is_cancellation(failure)) std::rethrow_exception(failure);
    if (range.size() == 1) {
      Item& item = batch[range.front()];
      log::error("event could not be stored", {{"event_id", item.event_id}, {"relay", item.request->relay_id},
                                                {"error", describe(failure)}});
      item.refuse("store_failed", nostr::prefixed(nostr::Prefix::error, "the relay could not store this event"));
      continue;
    }
    log::warn("a batch failed because of its data; splitting it",
              {{"events", range.size()}, {"error", describe(failure)}});
    probe_.batch_split();
    const auto middle = range.begin() + static_cast<std::ptrdiff_t>(range.size() / 2);
    todo.push_front(std::vector<std::size_t>(middle, range.end()));
    todo.push_front(std::vector<std::size_t>(range.begin(), middle));
  }
}

}  // namespace marina::relay_ingest
