#include "recent_ids.hpp"

namespace marina::relay_query {

RecentIds::RecentIds(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

bool RecentIds::insert(const nostr::EventId& id) {
  if (set_.contains(id)) return false;
  if (ring_.size() < capacity_) {
    ring_.push_back(id);
  } else {
    set_.erase(ring_[next_]);
    ring_[next_] = id;
    next_ = (next_ + 1) % capacity_;
  }
  set_.insert(id);
  return true;
}

}  // namespace marina::relay_query
