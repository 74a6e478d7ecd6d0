#pragma once
// The consumer: which entries of marina:ingest this replica processes, and
// how batches flow through the stages (strfry's RelayWriter: the writer
// drains its whole inbox into one transaction).
//
// Reading, in this order of priority:
//  1. At start: create the group (from id 0, so entries added before any
//     consumer existed are not lost), then re-process this consumer's own
//     pending entries (XREADGROUP from id 0): a restart after a crash picks up
//     exactly what it had read and not acked.
//  2. Every claim_interval: entries that dead consumers left pending (Claimer).
//  3. Otherwise new entries: XREADGROUP ... COUNT batch_size BLOCK block >.
//
// Three coroutines, one per stage, on one strand:
//   reader:    read -> prepare (verify threads, policy, rate limits) -> inbox
//   writer:    takes everything in the inbox (up to batch_size) as one
//              transaction, while the reader keeps preparing the next
//   publisher: publishes and acks each stored batch while the writer
//              already stores the next one
// Each stage handles its batches one at a time and in order, so commits follow
// read order and marina:events receives a relay's events in commit order. The
// inbox holds at most one batch (batch_size entries): past that the reader
// waits, and the entries wait in Redis, unread. Setting `stop_requested` ends reading; what
// is in hand is stored, published and acked before run() returns, and
// `running` is true exactly while run() runs.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "batch_pipeline.hpp"
#include "claimer.hpp"
#include "marina/core/backoff.hpp"
#include "wakeup.hpp"

namespace marina::relay_ingest {

class Consumer {
 public:
  // `reader` is a connection of its own (XREADGROUP BLOCK holds it);
  // `redis` carries the non-blocking commands.
  Consumer(redis::Client& reader, redis::Client& redis, BatchPipeline& pipeline, const IngestSettings& settings,
           IngestProbe& probe, const std::atomic<bool>& stop_requested, std::atomic<bool>& running);

  boost::asio::awaitable<void> run();

 private:
  boost::asio::awaitable<void> ensure_group();
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> publish_loop();
  // Up to `max` entries: own pending, claimed, or new (waiting up to `block`).
  boost::asio::awaitable<std::vector<Delivery>> next_deliveries(std::size_t max);
  // Everything prepared so far, up to batch_size items (at least one prepared chunk).
  Batch take_from_inbox();

  redis::Client& reader_;
  redis::Client& redis_;
  BatchPipeline& pipeline_;
  const IngestSettings& settings_;
  IngestProbe& probe_;
  Claimer claimer_;
  core::Backoff backoff_;
  bool own_pending_done_ = false;
  std::string own_pending_cursor_ = "0";
  // Entries read and not acked yet: a claim pass must not hand them out twice.
  std::unordered_set<std::string> in_flight_;

  // Stage hand-offs (touched only on the consumer's strand).
  struct Handoffs {
    explicit Handoffs(boost::asio::any_io_executor ex) : prepared(ex), room(ex), stored(ex), published(ex) {}
    std::deque<Batch> inbox;     // prepared chunks, in read order
    std::size_t inbox_items = 0;
    bool reading_done = false;
    std::optional<Batch> to_publish;  // stored, waiting for the publisher
    bool writing_done = false;
    Wakeup prepared, room, stored, published;
  };
  std::optional<Handoffs> handoffs_;
  const std::atomic<bool>& stop_requested_;
  std::atomic<bool>& running_;
};

}  // namespace marina::relay_ingest
