#pragma once
// The last N event ids seen: a bounded set that forgets the oldest first.
// relay-ingest may publish an event twice on marina:events (it re-publishes
// after a crash between commit and publish); this is what keeps a live
// subscriber from receiving it twice.
#include <cstddef>
#include <unordered_set>
#include <vector>

#include "marina/nostr/bytes.hpp"

namespace marina::relay_query {

class RecentIds {
 public:
  explicit RecentIds(std::size_t capacity);

  // True when `id` is new (and is now remembered); false when it was seen
  // among the last `capacity` ids.
  bool insert(const nostr::EventId& id);
  bool contains(const nostr::EventId& id) const { return set_.contains(id); }
  std::size_t size() const noexcept { return set_.size(); }

 private:
  std::size_t capacity_;
  std::vector<nostr::EventId> ring_;  // insertion order; grows up to capacity_
  std::size_t next_ = 0;              // the oldest once the ring is full
  std::unordered_set<nostr::EventId> set_;
};

}  // namespace marina::relay_query
